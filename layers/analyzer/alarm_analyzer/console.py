"""Where a console link takes the reader: the alarm's region always, its account where that is possible.

Every evidence link names the alarm's region in its host and query, so it opens there. A console URL
cannot name an account: it opens in whichever account the reader is signed in to, which for an alarm
of another account shows "not found". IAM Identity Center's shortcut links can: an access portal URL
with ``#/console?account_id=...&role_name=...&destination=...`` signs the reader in to that account
(with that permission set, or the one they pick when none is named) and opens the destination.
With a portal configured, every console link becomes such a shortcut to the alarm's account.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from .report import Evidence


@dataclass(frozen=True)
class ConsoleAccess:
    """How readers reach the console: directly, or through an IAM Identity Center access portal."""

    portal_url: str = ""  # https://my-org.awsapps.com/start; empty: links open the console directly
    role_name: str = ""  # the permission set to sign in with; empty: the reader picks one

    def link(self, url: str, account: str) -> str:
        if not self.portal_url:
            return url
        query = {"account_id": account, **({"role_name": self.role_name} if self.role_name else {})}
        return f"{self.portal_url.rstrip('/')}/#/console?{urlencode({**query, 'destination': url})}"

    def links(self, evidence: list[Evidence], account: str) -> list[Evidence]:
        """The evidence with each console link opening in ``account``."""
        if not self.portal_url:
            return evidence
        return [e.model_copy(update={"link": self.link(e.link, account)}) if e.link else e for e in evidence]
