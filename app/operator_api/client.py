"""The operator's systems as the console's services use them: one OperatorClient, made of one
part per area, each on the TM Forum Open API it maps to (README, the integrator's guide):

- app/operator_api/lines.py — the card and the balances (TMF637, TMF620 for the tariff's class,
  TMF632, TMF654, x-salon);
- app/operator_api/identity.py — the holder's identity record for R10 (TMF637, TMF632);
- app/operator_api/contacts.py — the e-mail addresses the operator holds (TMF637, TMF629);
- app/operator_api/catalog.py — tariffs and services (TMF620);
- app/operator_api/usage.py — usage records of a period (TMF635);
- app/operator_api/orders.py — the fee preview (TMF663) and changes (TMF622);
- app/operator_api/access_codes.py — access codes (x-salon) and the training phone (TMF681);
- app/operator_api/pickup.py — R11: this salon's pick-up queue, its destroy list, one order,
  and the salon's state reports (TMF622, the lines' numbers and home regions from TMF637);
- app/operator_api/training_orders.py — training only: a paper detalization ordered for
  pick-up (TMF622), as the operator's web shop places one;
- app/operator_api/archive.py — the personal archive (TMF667), a companion object;
- app/operator_api/check.py — `salon operator check`: does each API answer where it is set?

What they share — the deadline, retries, size caps, each API's base URL and the one place
where failures become app.errors' sentences — is app/operator_api/plumbing.py; the number →
line id every subscriber call starts from is app/operator_api/line_ids.py; how the calls are
signed (a bearer token or OAuth2 client credentials) is app/operator_api/auth.py.
"""

from __future__ import annotations

from app.operator_api.catalog import CatalogCalls
from app.operator_api.check import CheckCalls
from app.operator_api.contacts import ContactCalls
from app.operator_api.identity import IdentityCalls
from app.operator_api.lines import LineCalls
from app.operator_api.orders import OrderCalls
from app.operator_api.pickup import PickupCalls
from app.operator_api.training_orders import TrainingOrderCalls
from app.operator_api.usage import UsageCalls
from app.operator_api.wire import WireDemoList
from models.domain import DemoSubscriber


class OperatorClient(LineCalls, IdentityCalls, ContactCalls, CatalogCalls, UsageCalls,
                     OrderCalls, TrainingOrderCalls, PickupCalls, CheckCalls):
    """The operator API as the console's services use it (app/main.py builds one)."""

    def demo_subscribers(self) -> list[DemoSubscriber]:
        return [d.domain() for d in self._get("/sandbox/subscribers", WireDemoList).items]
