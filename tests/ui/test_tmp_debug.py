from tests.ui.case_helpers import open_case_list, type_into
from tests.ui.conftest import settle
from confidant_tui.ui.screens.conversation_editor import ConversationScreen
from confidant_tui.services.cases import create_case
from confidant_tui.domain.cases import Intake, CaseFacts
import datetime as dt

async def test_dbg(shell, vault_path):
    from confidant_tui.vault.store import Vault
    from tests.conftest import PASSPHRASE
    with Vault.open(vault_path, PASSPHRASE) as v:
        case = create_case(v, Intake(dt.date(2025,6,1), CaseFacts("employee", ("bullying",))), today=dt.date(2025,6,2))
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)
        await pilot.app.push_screen(ConversationScreen(case.id))
        await settle(pilot)
        await type_into(pilot, "#notes", "Melder voelt zich buitengesloten\nbij het team.")
        print(repr(pilot.app.screen.query_one("#notes").text))
