"""What the inbox tests share: replies in the shapes real mail clients
produce (built with Python's email package, independently of the
product's code), a Maildir to deliver them into, and a real IMAP server
(Debian's Dovecot, unprivileged on a free port of 127.0.0.1)."""
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
import uuid
from email.message import EmailMessage
from email.utils import formatdate

from harness import check, eventually, free_port, html_body, plain_body, self_signed_cert

# ---- replies as clients write them --------------------------------------------------------


def reply_address(digest):
    """The digest's Reply-To: the address carrying the reply token."""
    return digest["Reply-To"].addresses[0].addr_spec


def _headers(msg, digest, sender, subject_prefix="Re: ", to=None):
    msg["From"] = sender
    msg["To"] = to or reply_address(digest)
    msg["Subject"] = subject_prefix + str(digest["Subject"])
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@client.example>"
    msg["In-Reply-To"] = digest["Message-ID"]
    refs = (str(digest["References"]) + " " if digest["References"] else "")
    msg["References"] = refs + digest["Message-ID"]
    return msg


# An earlier message of the thread, below the reminder in every quote: a reader that
# took quoted lines for the reply's own would record it.
EARLIER = "Tình trạng: Hoàn thành"


def _quoted(digest):
    lines = plain_body(digest).splitlines() + ["", EARLIER]
    return "\n".join("> " + line if line else ">" for line in lines)


def gmail(digest, text, sender):
    """Top-posted, multipart/alternative, the quote in a gmail_quote block and '>' lines."""
    attribution = ("Vào Th 6, 20 thg 6, 2025 vào lúc 09:00 Hệ thống nhắc việc <\n"
                   "nhacviec@quangngai.example> đã viết:")
    plain = f"{text}\n\n{attribution}\n\n{_quoted(digest)}\n"
    original = (html_body(digest) or plain_body(digest).replace("\n", "<br>")) + f"<p>{EARLIER}</p>"
    html = (f'<div dir="ltr">{"<br>".join(text.splitlines())}</div><br>'
            f'<div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
            f'{attribution.replace(chr(10), " ")}<br></div>'
            f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">{original}'
            f'</blockquote></div>')
    msg = EmailMessage()
    msg.set_content(plain)
    msg.add_alternative(html, subtype="html")
    return _headers(msg, digest, sender)


def outlook_html(digest, text, sender, charset="utf-8"):
    """HTML only, as Outlook sends it: MSO paragraphs, the original below divRplyFwdMsg,
    no In-Reply-To line in the body, the original's text unquoted."""
    paras = "".join(f'<p class="MsoNormal">{line}<o:p></o:p></p>' for line in text.splitlines())
    lines = plain_body(digest).splitlines() + [EARLIER]
    original = "".join(f"<div>{line}</div>" for line in lines)
    html = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '<style><!-- p.MsoNormal {margin:0cm;} --></style></head><body lang="VI">'
            f'<div class="WordSection1">{paras}</div>'
            '<hr style="display:inline-block;width:98%" tabindex="-1">'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Hệ thống '
            'nhắc việc &lt;nhacviec@quangngai.example&gt;<br><b>Sent:</b> Friday, June 20, '
            '2025 9:00 AM<br><b>To:</b> Sở Công Thương<br><b>Subject:</b> '
            f'{digest["Subject"]}</font><div>&nbsp;</div></div>{original}</body></html>')
    msg = EmailMessage()
    msg.set_content(html, subtype="html", charset=charset, cte="quoted-printable")
    msg["Thread-Index"] = "AQHb4X2f"
    return _headers(msg, digest, sender, subject_prefix="RE: ")


def thunderbird_bottom(digest, text, sender):
    """Bottom-posted plain text with a signature."""
    body = (f"On 20/06/2025 09:00, Hệ thống nhắc việc wrote:\n{_quoted(digest)}\n\n{text}\n\n"
            "-- \nNguyễn Văn A\nVăn thư\n")
    msg = EmailMessage()
    msg.set_content(body)
    return _headers(msg, digest, sender)


def plain(digest, text, sender, nfd=False, charset="utf-8"):
    """A short plain reply, its text NFD-normalised if asked, base64."""
    if nfd:
        text = unicodedata.normalize("NFD", text)
    msg = EmailMessage()
    msg.set_content(text, charset=charset, cte="base64")
    return _headers(msg, digest, sender)


def cp1258(text):
    """Windows-1258 bytes: base letters precomposed where the code page has them, tones
    as combining marks (what Vietnamese Windows software writes)."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for c in unicodedata.normalize("NFC", text):
        try:
            c.encode("cp1258")
            out.append(c)
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", c)
            out.append(unicodedata.normalize("NFC", "".join(x for x in d if x not in tones)))
            out.append("".join(x for x in d if x in tones))
    return "".join(out).encode("cp1258")


def windows_1258(digest, text, sender):
    """Plain text in windows-1258, 8bit, as an old Vietnamese mail client sends it."""
    msg = EmailMessage()
    _headers(msg, digest, sender)
    raw = msg.as_bytes().rstrip(b"\n")
    return (raw + b"\nMIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1258"
            b"\nContent-Transfer-Encoding: 8bit\n\n" + cp1258(text))


def with_files(digest, text, sender, files):
    """A plain reply with files attached: [(name, bytes, (maintype, subtype)) …]."""
    msg = EmailMessage()
    msg.set_content(text)
    for name, data, (maintype, subtype) in files:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return _headers(msg, digest, sender)


def as_bytes(msg):
    return msg if isinstance(msg, bytes) else msg.as_bytes()


# ---- a Maildir the MTA delivers into ------------------------------------------------------------

class Maildir:
    def __init__(self, path):
        self.path = path
        self.n = 0
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)

    def deliver(self, msg):
        """As an MTA does: written in tmp/, renamed into new/. Returns the file name."""
        self.n += 1
        name = f"{int(time.time())}.M{self.n}P{os.getpid()}.test"
        tmp = os.path.join(self.path, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(as_bytes(msg))
        os.rename(tmp, os.path.join(self.path, "new", name))
        return name

    def new(self):
        return sorted(os.listdir(os.path.join(self.path, "new")))

    def cur(self):
        return sorted(os.listdir(os.path.join(self.path, "cur")))


# ---- Dovecot ------------------------------------------------------------------------------------

DOVECOT = "/usr/sbin/dovecot"


class Dovecot:
    """Dovecot on 127.0.0.1 (IMAP, and IMAPS with a certificate when given), one user with a
    password, its mail in a Maildir under the test's directory. Runs as the current user; when
    that is root, the login processes run as dovenull and the mail as nobody."""

    def __init__(self, user="nhacviec", password="bi mat \"123\"", tls=False):
        # Its own directory: Dovecot's unprivileged processes must reach the files in it.
        self.dir = tempfile.mkdtemp(prefix="deadlined-dovecot-")
        os.chmod(self.dir, 0o755)
        self.user, self.password = user, password
        self.port, self.tls_port = free_port(), free_port() if tls else 0
        self.cert = cert = self_signed_cert(self.dir, "localhost") if tls else None
        for sub in ("run", "state", "home"):
            os.makedirs(os.path.join(self.dir, sub), exist_ok=True)
        me = pwd.getpwuid(os.getuid()).pw_name
        root = os.getuid() == 0
        mail_user = "nobody" if root else me
        if root:
            pw = pwd.getpwnam("nobody")
            os.chown(os.path.join(self.dir, "home"), pw.pw_uid, pw.pw_gid)
        passwd = os.path.join(self.dir, "passwd")
        with open(passwd, "w", encoding="utf-8") as f:
            f.write(f"{user}:{{PLAIN}}{password}\n")
        os.chmod(passwd, 0o644)  # a test password, read by Dovecot's auth user
        ssl = (f"ssl = yes\nssl_cert = <{cert[0]}\nssl_key = <{cert[1]}\n" if cert
               else "ssl = no\n")
        self.conf = os.path.join(self.dir, "dovecot.conf")
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write(f"""\
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {"dovecot" if root else me}
default_login_user = {"dovenull" if root else me}
mail_location = maildir:{self.dir}/home/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.dir}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={pwd.getpwnam(mail_user).pw_gid} home={self.dir}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {self.port}
  }}
  inet_listener imaps {{
    port = {self.tls_port}
  }}
}}
service anvil {{
  chroot =
}}
""")
        self.proc = None

    def start(self):
        if not os.access(DOVECOT, os.X_OK):
            raise AssertionError(f"{DOVECOT} is missing (run: make deps)")
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", self.conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        import imaplib
        def up():
            try:
                with imaplib.IMAP4("127.0.0.1", self.port) as m:
                    m.login(self.user, self.password)
                return True
            except OSError:
                return False
            except imaplib.IMAP4.error:
                return False
        try:
            eventually(up, 20, lambda: "Dovecot to accept a login\n" + self.log())
        except BaseException:
            self.cleanup()
            raise
        return self

    def log(self):
        try:
            with open(os.path.join(self.dir, "dovecot.log"), encoding="utf-8",
                      errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    def imap(self):
        import imaplib
        m = imaplib.IMAP4("127.0.0.1", self.port)
        m.login(self.user, self.password)
        m.select("INBOX")
        return m

    def append(self, msg):
        """Delivers a message into the INBOX (unseen); returns its UID."""
        m = self.imap()
        try:
            typ, data = m.append("INBOX", None, None, as_bytes(msg))
            check(typ == "OK", f"APPEND: {typ} {data}")
            code = data[0].decode()
            return int(code.split("APPENDUID", 1)[1].split()[1].rstrip("]"))
        finally:
            m.logout()

    def flags(self):
        """{uid: flags} of every message in the INBOX."""
        m = self.imap()
        try:
            typ, data = m.uid("FETCH", "1:*", "(FLAGS)")
            out = {}
            for item in data:
                if not item:
                    continue
                text = item.decode() if isinstance(item, bytes) else item[0].decode()
                uid = int(text.split("UID ", 1)[1].split()[0].rstrip(")"))
                out[uid] = text.split("FLAGS (", 1)[1].split(")", 1)[0]
            return out
        finally:
            m.logout()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
