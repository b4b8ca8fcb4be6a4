#!/usr/bin/python3
"""A real SSH client (paramiko) answering sshd's keyboard-interactive prompts.

usage: ssh_login.py PORT USER PASSWORD CODE [KEYFILE]
With KEYFILE (ed25519) the client first offers that key (AuthenticationMethods
publickey,keyboard-interactive), then answers the prompts. Prints one line per prompt seen
("PROMPT <text>") and then "RESULT ok <remote id -un>" or "RESULT denied".
Exit 0 in both cases; anything else is a harness error.
"""
import socket
import sys

import paramiko


def main():
    port, user, password, code = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    keyfile = sys.argv[5] if len(sys.argv) > 5 else None

    def handler(title, instructions, prompts):
        answers = []
        for text, _echo in prompts:
            print("PROMPT", text, flush=True)
            answers.append(password if "assword" in text else code)
        return answers

    log_in(port, user, handler, keyfile)


def log_in(port, user, handler, keyfile=None):
    """Authenticate (the key first, if any, then `handler` answers the prompts), run `id -un`
    and print the RESULT line."""
    transport = paramiko.Transport(socket.create_connection(("127.0.0.1", port), timeout=20))
    transport.start_client(timeout=20)
    try:
        if keyfile:
            # A partial success leaves keyboard-interactive still to do.
            transport.auth_publickey(user, paramiko.Ed25519Key.from_private_key_file(keyfile))
        if not transport.is_authenticated():
            transport.auth_interactive(user, handler)
    except paramiko.AuthenticationException:
        pass
    if not transport.is_authenticated():
        print("RESULT denied", flush=True)
        transport.close()
        return
    channel = transport.open_session()
    channel.exec_command("id -un")
    remote = channel.makefile().read().decode().strip()
    transport.close()
    print("RESULT ok", remote, flush=True)


if __name__ == "__main__":
    main()
