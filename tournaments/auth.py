"""Throttled logins: after repeated failures, an account is locked out from that address.

Five failed logins for one username from one address within fifteen minutes refuse any
further attempt (the right password included) until the window passes. Counts live in the
shared cache, so every app server behind the balancer applies the same limit.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _key(request, username) -> str:
    address = request.META.get("REMOTE_ADDR", "?") if request is not None else "?"
    return f"copaperu:login-failures:{address}:{(username or '').lower()}"


def is_locked_out(request, username) -> bool:
    """Whether this username has failed too often from this address lately."""
    return cache.get(_key(request, username), 0) >= MAX_FAILURES


class ThrottledModelBackend(ModelBackend):
    """Django's usual username and password check, refused while locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and is_locked_out(request, username):
            raise PermissionDenied("Too many failed logins; try again later.")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="copaperu-count-login-failures")
def count_failure(sender, credentials, request=None, **kwargs) -> None:
    """Count a failed login for its username and address, for the window."""
    key = _key(request, credentials.get("username"))
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
