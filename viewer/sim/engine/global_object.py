"""Handle -1, the Global object: opening apps, the doc list, versions.

`new_session` makes an engine session with its Global object registered.
"""

from __future__ import annotations

from collections.abc import Mapping

from viewer.sim.engine.data import App, space_id
from viewer.sim.engine.doc_object import DocObject
from viewer.sim.engine.protocol import ErrorCode, Param, RpcError
from viewer.sim.engine.session import EngineObject, EngineSession, Result, rpc

ENGINE_VERSION = "12.2027.0"
PRODUCT_VERSION = "14.254.6"


def new_session(apps: Mapping[str, App], *, user: str, app_id: str | None) -> EngineSession:
    """A fresh engine session for `user`, bound to `app_id` (None: the Global API only)."""
    session = EngineSession(apps, user=user, app_id=app_id)
    session.add(GlobalObject(session, "", "Global"))
    return session


class GlobalObject(EngineObject):
    """Handle -1: the engine itself."""

    qtype = "Global"

    @rpc(
        "OpenDoc",
        Param("qDocName", str),
        Param("qUserName", str, ""),
        Param("qPassword", str, ""),
        Param("qSerial", str, ""),
        Param("qNoData", bool, False),
    )
    def open_doc(
        self, qDocName: str, qUserName: str, qPassword: str, qSerial: str, qNoData: bool
    ) -> Result:
        session = self.session
        if session.doc is not None:
            raise RpcError(ErrorCode.APP_ALREADY_OPEN, session.doc.generic_id)
        if session.app_id is not None and qDocName != session.app_id:
            raise RpcError(ErrorCode.APP_NOT_FOUND, f"{qDocName} (this socket is for another app)")
        app = session.apps.get(qDocName)
        if app is None:
            raise RpcError(ErrorCode.APP_NOT_FOUND, qDocName)
        doc = DocObject(session, app)
        session.add(doc)
        session.doc = doc
        session.mark_changed([doc.handle])
        return {"qReturn": doc.reference()}

    @rpc("GetActiveDoc")
    def get_active_doc(self) -> Result:
        if self.session.doc is None:
            raise RpcError(ErrorCode.APP_INVALID, "no app is open in this session")
        return {"qReturn": self.session.doc.reference()}

    @rpc("EngineVersion")
    def engine_version(self) -> Result:
        return {"qVersion": {"qComponentVersion": ENGINE_VERSION}}

    @rpc("ProductVersion")
    def product_version(self) -> Result:
        return {"qReturn": PRODUCT_VERSION}

    @rpc("QTProduct")
    def qt_product(self) -> Result:
        return {"qReturn": "Qlik Sense"}

    @rpc("OSName")
    def os_name(self) -> Result:
        return {"qReturn": "linux"}

    @rpc("IsDesktopMode")
    def is_desktop_mode(self) -> Result:
        return {"qReturn": False}

    @rpc("GetAuthenticatedUser")
    def get_authenticated_user(self) -> Result:
        return {"qReturn": f"UserDirectory=SIM; UserId={self.session.user}"}

    @rpc("GetDocList")
    def get_doc_list(self) -> Result:
        return {
            "qDocList": [
                {
                    "qDocName": app.info.name,
                    "qDocId": app.info.id,
                    "qTitle": app.info.name,
                    "qLastReloadTime": app.last_reload_time,
                    "qConnectedUsers": 0,
                    "qFileSize": 0,
                    "qReadOnly": False,
                    "qMeta": {
                        "description": app.description,
                        "stream": {"id": space_id(app.space), "name": app.space},
                        "owner": {"userId": app.owner, "name": app.owner.capitalize()},
                        "published": True,
                        "privileges": ["read"],
                    },
                    "qThumbnail": {"qUrl": ""},
                }
                for app in self.session.apps.values()
            ]
        }
