"""Development only: emails printed in the terminal in a form a person can read."""

from django.core.mail.backends import console

HEADERS = ("Date", "From", "To", "Cc", "Reply-To", "Subject")


class ReadableConsoleEmailBackend(console.EmailBackend):
    """Print each email's headers and its plain-text body decoded.

    Django's console backend prints the MIME source: a text line longer than 78
    characters (any link with a token) is quoted-printable there, cut by "=" soft line
    breaks, so the links of the demo's emails could not be clicked or copied.
    """

    def write_message(self, message):
        msg = message.message()
        lines = [f"{name}: {msg[name]}" for name in HEADERS if msg[name]]
        text = msg.get_body(preferencelist=("plain",))
        others = [
            part.get_content_type()
            for part in msg.walk()
            if not part.is_multipart() and part is not text
        ]
        if others:
            lines.append(f"(Also in this email: {', '.join(others)})")
        lines += ["", text.get_content() if text is not None else ""]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
