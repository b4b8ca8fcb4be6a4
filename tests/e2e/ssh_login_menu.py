#!/usr/bin/python3
"""A real SSH client (paramiko) that asks for another method at the code prompt.

usage: ssh_login_menu.py PORT USER PASSWORD CODE_URL
Answers the password prompt, types "?" at the first code prompt, picks the numbered entry that
says "Text message" from the menu, and answers the texted-code prompt with what CODE_URL (the
stub's /_stub/last-code) returns at that moment. Prints one line per prompt seen
("PROMPT <text>", newlines written as \\n) and then "RESULT ok <remote id -un>" or
"RESULT denied". Exit 0 in both cases; anything else is a harness error.
"""
import re
import sys
import urllib.request

from ssh_login import log_in


def answer(text, password, code_url):
    if "assword" in text:
        return password
    if "Text message" in text:
        for line in text.splitlines():
            m = re.match(r"\s*(\d+)\) Text message", line)
            if m:
                return m.group(1)
        raise SystemExit("menu without a text-message entry: %r" % text)
    if "text message" in text:
        with urllib.request.urlopen(code_url, timeout=10) as reply:
            return reply.read().decode().strip()
    return "?"


def main():
    port, user, password, code_url = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

    def handler(title, instructions, prompts):
        answers = []
        for text, _echo in prompts:
            print("PROMPT", text.replace("\n", "\\n"), flush=True)
            answers.append(answer(text, password, code_url))
        return answers

    log_in(port, user, handler)

if __name__ == "__main__":
    main()
