"""Write permission, object by object and system by system (see ``core.api.access``)."""

from rest_framework import permissions

from core.api.access import access_of

WRITE_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class RegistryPermission(permissions.BasePermission):
    """Reads are open (querysets hide what a client may not see); writes need an officer.

    A write needs the model permission for it (``add``, ``change`` or ``delete``) and,
    for the record written, that the officer administers its integrated care system.
    A partner token never writes. Methods a resource does not offer fall through to
    405 rather than being reported as forbidden.
    """

    message = "You may change records only in the integrated care systems you administer."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        method = request.method.lower()
        if method not in view.http_method_names or not callable(getattr(view, method, None)):
            return True
        access = access_of(request)
        if not access.is_officer:
            self.message = (
                "Partner tokens read the registry; only officers change it."
                if access.token is not None
                else "Sign in or send an officer's API token to change the registry."
            )
            return False
        permission = view.required_permission(request)
        if permission is None or not access.may(permission):
            self.message = "You do not have permission to make this change."
            return False
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return view.may_change(access_of(request), obj)
