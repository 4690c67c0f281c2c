"""irctest controller for our server (docs/irc.md): the external-server controller,
plus accounts made through scripts/irctest/server.ts's control port (our accounts are
built in, so there are no services to wait for)."""

import os
import socket

from irctest.controllers.external_server import ExternalServerController


class TcpChatController(ExternalServerController):
    software_name = "tcp-chat"
    supported_sasl_mechanisms = {"PLAIN"}

    def wait_for_services(self) -> None:
        pass

    def registerUser(self, case, username, password=None):
        port = int(os.environ["TCP_CHAT_CONTROL_PORT"])
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.sendall(f"REGISTER {username} {password or ''}\n".encode())
            assert conn.recv(100).startswith(b"OK"), f"cannot register {username}"


def get_irctest_controller_class():
    return TcpChatController
