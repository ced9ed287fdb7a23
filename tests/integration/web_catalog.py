#!/usr/bin/env python3
"""The web catalog (issue 19) from the binary: served by `meshctl serve --catalog public`, exported by
`meshctl catalog export`, and, when Debian's chromium is installed, drawn by a real browser.

Usage: web_catalog.py MESHCTL SCREENSHOT_FOLDER

1. The examples are applied to an embedded registry, one product deprecated, one manifest's description holds
   markup, one product's data reported stale (its SLO violated: the home page lists it as needing attention). A server over that file with --catalog off answers 404 on / saying the catalog is off.
1b. Without --catalog (signed-in): a page sends to /login; POST /login with a bad token is refused, from
   another origin is refused, with a reader's token sets an HttpOnly SameSite=Strict cookie; the cookie (or a
   bearer token) reads the pages, which name the principal; /logout, and revoking the token, end the session.
2. With --catalog public, anonymously: the home page, a domain page and a product page answer 200 as HTML with
   the product's fields; every link inside the catalog (crawled from /) answers 200; no page is over 200 KB
   and none names another origin (no src=, no http(s):// href but mailto and the manifest's own text);
   the markup of the hostile description comes back as text; an unknown product answers 404 as a page.
   The manifest downloads as native YAML, ODPS and ODCS (a contract per output port when there are several),
   application/yaml attachments with their file names; chromium finds the download links on the page.
   The glossary: a field's term links its term page, which shows the definition, synonyms, related terms,
   the authoritative definition (the only http(s) link a page may hold, rel="external") and the fields
   that use it; /catalog/terms lists the terms.
3. `catalog export` writes the same pages as files whose relative links all resolve to files, the glossary
   and a page per term among them.
4. chromium --headless --screenshot of the home page and a product page (served), saved under
   SCREENSHOT_FOLDER, and the exported term page read from file:// (its DOM, its links); skipped with a
   line saying so when chromium is missing.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request

from checks import Checks  # noqa: E402  (the script's folder is on sys.path)

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPOSITORY, "examples", "products")
TIMEOUT_SECONDS = 60
MAX_PAGE_BYTES = 200 * 1024

HOSTILE = """apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: hostile
  domain: marketing
  version: 1.0.0
  title: "Hostile <em>title</em>"
  description: "Watch out: <script>alert('catalog')</script> and <img src=x onerror=alert(1)> stay text."
  owner: { team: marketing-data, email: marketing-data@example.com }
spec:
  outputPorts:
    - name: leads
      type: table
      format: parquet
      location: s3://marketing/leads/
      slo: { freshness: 1d, availability: "99%" }
      schema:
        fields:
          - { name: email, type: string, description: "<b>contact</b>", classification: confidential, pii: true }
"""


class Server:
    def __init__(self, meshctl, store, extra=()):
        command = [meshctl, "serve", "--listen", "127.0.0.1:0", "--store", store, *extra]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.port = None
        self.lines = []
        listening = threading.Event()

        def read_log():
            for line in self.process.stderr:
                self.lines.append(line)
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("event") == "listening":
                    self.port = entry["port"]
                    listening.set()
            listening.set()

        threading.Thread(target=read_log, daemon=True).start()
        listening.wait(TIMEOUT_SECONDS)
        if self.port is None:
            self.process.kill()
            raise RuntimeError("the server did not start: " + "".join(self.lines))
        self.url = f"http://127.0.0.1:{self.port}"

    def get(self, path):
        """(status, content type, body text) of GET path, without a token."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=TIMEOUT_SECONDS) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read().decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(TIMEOUT_SECONDS)


def meshctl_run(meshctl, *args, registry):
    return subprocess.run([meshctl, "--registry", registry, *args], capture_output=True, text=True,
                          timeout=TIMEOUT_SECONDS)


HREF = re.compile(r'href="([^"]*)"')


def links_of(html):
    return [link.replace("&amp;", "&") for link in HREF.findall(html)]


EXTERNAL_LINK = re.compile(r'<a rel="external noopener noreferrer" href="https?://[^"]*"')


def foreign_references(html):
    """References that would make the browser ask something else than the catalog's origin. A link a term's
    page makes of an authoritative definition (rel="external", http or https only) loads nothing by itself."""
    html = EXTERNAL_LINK.sub("", html)
    found = [link for link in links_of(html) if re.match(r"^[a-z]+:", link) and not link.startswith("mailto:")]
    found += re.findall(r'\bsrc="[^"]*"', html)
    found += re.findall(r"<script\b|<link\b|@import|url\(", html)
    return found


def check_served(checks, server):
    status, content_type, home = server.get("/")
    checks.check(status == 200 and content_type.startswith("text/html"), "GET / answers 200 HTML", f"{status}")
    checks.check("<h1>Data products</h1>" in home and ">sales</a>" in home, "the home page lists the domains")
    checks.check("sales/customers" in home and "2099-12-31" in home,
                 "the home page lists the deprecated product with its sunset")
    attention = home[home.find('<h2 id="attention">'):home.find('<h2 id="glossary">')]
    checks.check('<a href="/catalog/products/sales/orders">sales/orders</a>' in attention and
                 "freshness SLO 1h violated on orders-table: last change 2020-01-01T00:00:00Z" in attention,
                 "the home page lists sales/orders as needing attention, its SLO violated", attention[:300])

    status, _, product = server.get("/catalog/products/sales/orders")
    checks.check(status == 200, "GET /catalog/products/sales/orders answers 200", f"{status}")
    for text in ("<h1>Confirmed orders</h1>", "<code>customer_email</code>", "flag-pii", "confidential",
                 "fresh within 1h", "sales/order-events", "mailto:sales-data@example.com", "1.2.0"):
        checks.check(text in product, f"the product page shows {text}")

    status, _, hostile = server.get("/catalog/products/marketing/hostile")
    checks.check(status == 200, "GET the product whose manifest holds markup answers 200", f"{status}")
    checks.check("<script>" not in hostile and "<img" not in hostile and "<b>contact" not in hostile,
                 "no markup of the manifest reaches the page")
    checks.check("&lt;script&gt;alert(&#39;catalog&#39;)&lt;/script&gt;" in hostile,
                 "the manifest's markup is shown as text")

    status, _, deprecated = server.get("/catalog/products/sales/customers")
    checks.check('class="banner banner-deprecated"' in deprecated and "Moved to the CRM" in deprecated,
                 "a deprecated product shows its sunset and reason in a banner")

    status, _, found = server.get("/catalog/search?q=customer+email")
    checks.check(status == 200 and "/catalog/products/sales/orders" in found and "found for" in found,
                 "the search page finds sales/orders by a field's words", f"{status}")
    status, content_type, manifest = server.get("/catalog/products/sales/orders/manifest.yaml")
    checks.check(status == 200 and content_type.startswith("application/yaml") and "apiVersion: meshctl/v1" in
                 manifest, "the product's manifest downloads as YAML", f"{status} {content_type}")
    status, headers, odps = raw(server, "GET", "/catalog/products/sales/orders/odps.yaml")
    checks.check(status == 200 and headers.get("Content-Type", "").startswith("application/yaml") and
                 headers.get("Content-Disposition") == 'attachment; filename="orders.odps.yaml"' and
                 odps.startswith("apiVersion: v1.0.0\nkind: DataProduct\n") and "kind: DataContract" in odps,
                 "the product downloads as ODPS (product and contracts), an attachment named orders.odps.yaml",
                 f"{status} {headers.get('Content-Type')} {headers.get('Content-Disposition')}")
    status, content_type, odcs = server.get("/catalog/products/sales/orders/odcs.yaml")
    checks.check(status == 200 and content_type.startswith("application/yaml") and
                 odcs.startswith("apiVersion: v3.1.0\nkind: DataContract\n"),
                 "a product with one output port downloads as one ODCS contract", f"{status} {content_type}")
    status, content_type, contract = server.get("/catalog/products/finance/revenue/odcs/revenue-api.yaml")
    checks.check(status == 200 and content_type.startswith("application/yaml") and "kind: DataContract" in contract
                 and "revenue-api" in contract, "a product with two output ports downloads a contract per port",
                 f"{status} {content_type}")
    status, _, _ = server.get("/catalog/products/finance/revenue/odcs.yaml")
    checks.check(status == 404, "odcs.yaml of a product with two output ports answers 404", f"{status}")
    for text in ('href="/catalog/products/sales/orders/odps.yaml" download="orders.odps.yaml"',
                 'href="/catalog/products/sales/orders/odcs.yaml" download="orders.odcs.yaml"'):
        checks.check(text in product, f"the product page offers {text}")
    for text in ("<h2 id=\"lineage\">Lineage</h2>", "node node-upstream", "<h2 id=\"changelog\">Changelog</h2>",
                 "<strong>Health:</strong>", "Reads per day"):
        checks.check(text in product, f"the product page shows {text}")

    term_link = '<a href="/catalog/terms/customer-email">customer-email</a>'
    checks.check(term_link in product, "the product page links a field's term to the term's page")
    status, content_type, term = server.get("/catalog/terms/customer-email")
    checks.check(status == 200 and content_type.startswith("text/html"), "GET /catalog/terms/customer-email "
                 "answers 200 HTML", f"{status}")
    for text in ("<h1>customer-email</h1>", "personal data under GDPR", "<li>buyer-email</li>",
                 '<a href="/catalog/terms/customer-id">customer-id</a>',
                 'href="https://wiki.example.com/glossary/customer-email"',
                 '<a href="/catalog/products/sales/orders">sales/orders</a>', "<code>customer_email</code>",
                 '<a href="/catalog/domains/sales">sales</a>'):
        checks.check(text in term, f"the term page shows {text}")
    status, _, glossary = server.get("/catalog/terms")
    checks.check(status == 200 and '<a href="/catalog/terms/order-line">order-line</a>' in glossary,
                 "GET /catalog/terms lists the terms", f"{status}")
    checks.check('<a href="/catalog/terms">3 terms</a>' in home, "the home page links the glossary")
    status, _, _ = server.get("/catalog/terms/buyer-email")
    checks.check(status == 404, "a synonym has no page of its own (404)", f"{status}")

    status, content_type, missing = server.get("/catalog/products/sales/nothing")
    checks.check(status == 404 and content_type.startswith("text/html") and "Not found" in missing,
                 "an unknown product answers a 404 page", f"{status}")
    status, _, _ = server.get("/catalog/domains/nowhere")
    checks.check(status == 404, "an unknown domain answers 404", f"{status}")
    status, content_type, _ = server.get("/v1/products")
    checks.check(status == 401 and "json" in content_type, "the API still needs a token", f"{status}")

    # Every page reachable from / answers 200, stays under the size budget, and refers to nothing else.
    seen, queue, failures = set(), ["/"], []
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        status, content_type, body = server.get(path)
        if status != 200:
            failures.append(f"{path}: {status}")
            continue
        if not content_type.startswith("text/html"):
            continue  # a manifest to download: its text is the manifest's, shown nowhere
        if len(body.encode()) > MAX_PAGE_BYTES:
            failures.append(f"{path}: {len(body.encode())} bytes")
        foreign = foreign_references(body)
        if foreign:
            failures.append(f"{path}: refers to {foreign[:3]}")
        for link in links_of(body):
            if link.startswith("/") and not link.startswith("//"):
                queue.append(urllib.parse.unquote(link.split("#")[0]) or "/")
    checks.check(not failures and len(seen) >= 12, f"all {len(seen)} pages linked from / answer 200, are at most "
                 "200 KB and load nothing from elsewhere", "; ".join(failures[:5]))


def raw(server, method, path, body=None, headers=None):
    """(status, headers, body text) without following redirects."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def sign_in(server, token, origin=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if origin:
        headers["Origin"] = origin
    body = urllib.parse.urlencode({"token": token, "next": "/catalog/products/sales/orders"})
    return raw(server, "POST", "/login", body, headers)


def check_sign_in(checks, meshctl, registry, server):
    status, headers, _ = raw(server, "GET", "/catalog/products/sales/orders")
    checks.check(status == 303 and headers.get("Location") == "/login?next=/catalog/products/sales/orders",
                 "without a session a page sends to /login", f"{status} {headers.get('Location')}")
    status, _, form = raw(server, "GET", "/login?next=/catalog/domains/sales")
    checks.check(status == 200 and 'name="token"' in form and 'type="password"' in form and
                 'value="/catalog/domains/sales"' in form, "GET /login shows the form with one field, token")
    created = meshctl_run(meshctl, "token", "create", "viewer", "--role", "reader", "-o", "json", registry=registry)
    token = json.loads(created.stdout)["token"]

    status, headers, body = sign_in(server, "mesh_0000000000000000_" + "0" * 64)
    checks.check(status == 401 and not headers.get("Set-Cookie") and "not valid" in body,
                 "POST /login with an unknown token answers 401 and sets no cookie", f"{status}")
    status, headers, _ = sign_in(server, token, origin="http://evil.example")
    checks.check(status == 403 and not headers.get("Set-Cookie"), "POST /login from another origin is refused",
                 f"{status}")
    status, headers, _ = sign_in(server, token, origin=server.url)
    cookie = headers.get("Set-Cookie", "")
    checks.check(status == 303 and headers.get("Location") == "/catalog/products/sales/orders" and
                 "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie and
                 token not in cookie, "POST /login with a reader's token sets an HttpOnly, SameSite=Strict session "
                 "cookie (not Secure without TLS) and goes back to the page", f"{status} {cookie}")
    session = {"Cookie": cookie.split(";")[0]}
    status, _, page = raw(server, "GET", "/catalog/products/sales/orders", headers=session)
    checks.check(status == 200 and "<h1>Confirmed orders</h1>" in page and "Signed in as viewer" in page,
                 "the session reads a product page that names the principal", f"{status}")
    status, _, _ = raw(server, "GET", "/", headers={"Authorization": "Bearer " + token})
    checks.check(status == 200, "a bearer token reads the pages too", f"{status}")
    status, headers, _ = raw(server, "POST", "/logout", "", session)
    checks.check(status == 303 and "Max-Age=0" in headers.get("Set-Cookie", ""), "POST /logout clears the cookie")
    status, _, _ = raw(server, "GET", "/", headers=session)
    checks.check(status == 303, "after sign-out the cookie reads nothing", f"{status}")

    status, headers, _ = sign_in(server, token)
    session = {"Cookie": headers.get("Set-Cookie", "").split(";")[0]}
    revoked = meshctl_run(meshctl, "token", "revoke", "viewer", registry=registry)
    status, _, _ = raw(server, "GET", "/", headers=session)
    checks.check(revoked.returncode == 0 and status == 303, "revoking the token ends its sessions", f"{status}")


def check_export(checks, meshctl, registry, folder):
    result = meshctl_run(meshctl, "catalog", "export", folder, registry=registry)
    checks.check(result.returncode == 0, "catalog export exits 0", result.stderr)
    pages = []
    for root, _, files in os.walk(folder):
        pages += [os.path.join(root, name) for name in files]
    checks.check(any(page.endswith("products/sales/orders.html") for page in pages) and
                 os.path.join(folder, "index.html") in pages, "the export holds index.html and the product pages")
    broken = []
    for page in pages:
        with open(page, encoding="utf-8") as fh:
            html = fh.read()
        for link in links_of(html):
            if re.match(r"^[a-z]+:", link) or link.startswith("#"):
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(page), urllib.parse.unquote(link)))
            if not os.path.isfile(target):
                broken.append(f"{os.path.relpath(page, folder)} -> {link}")
    checks.check(not broken, "every relative link of the export names a file", "; ".join(broken[:5]))
    term_page = os.path.join(folder, "terms", "customer-email.html")
    checks.check(os.path.isfile(term_page) and os.path.isfile(os.path.join(folder, "glossary.html")),
                 "the export holds glossary.html and a page per term")
    again = meshctl_run(meshctl, "catalog", "export", folder, registry=registry)
    checks.check(again.returncode == 4 and "--force" in again.stderr,
                 "a second export into the same folder exits 4 and names --force", again.stderr)


def check_browser(checks, server, screenshots):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("skip the browser checks: chromium is not installed (apt-get install chromium)")
        return
    os.makedirs(screenshots, exist_ok=True)
    for name, path, width in (("home", "/", 1200), ("product", "/catalog/products/sales/orders", 1200),
                              ("product-phone", "/catalog/products/sales/orders", 390),
                              ("term", "/catalog/terms/customer-email", 1200)):
        target = os.path.join(screenshots, f"{name}.png")
        if os.path.exists(target):
            os.remove(target)
        profile = tempfile.mkdtemp(prefix="meshctl-chromium-")
        try:
            result = subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 f"--user-data-dir={profile}", f"--window-size={width},2000", f"--screenshot={target}",
                 server.url + path],
                capture_output=True, text=True, timeout=120)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        checks.check(result.returncode == 0 and os.path.getsize(target) > 10000 if os.path.exists(target) else False,
                     f"chromium draws {path} at {width} px wide: {target}", result.stderr[-500:])
    # The product page's downloads as chromium read them: each answers 200 as YAML.
    result = dump_dom(chromium, server.url + "/catalog/products/finance/revenue")
    downloads = [link for link in links_of(result.stdout) if link.endswith(".yaml")]
    answers = [(link, *server.get(urllib.parse.unquote(link))[:2]) for link in downloads]
    checks.check(len(downloads) == 4 and all(status == 200 and content_type.startswith("application/yaml")
                                             for _, status, content_type in answers),
                 "in chromium the product page links 4 downloads (native, ODPS, a contract per port), each "
                 "answering 200 application/yaml", f"{answers}")
    # The DOM as the browser built it: the hostile description is a text node, not an element.
    result = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                             server.url + "/catalog/products/marketing/hostile"],
                            capture_output=True, text=True, timeout=120)
    checks.check("<script>" not in result.stdout and "&lt;script&gt;" in result.stdout,
                 "in chromium's DOM the manifest's <script> is text", result.stderr[-300:])


def dump_dom(chromium, url):
    profile = tempfile.mkdtemp(prefix="meshctl-chromium-")
    try:
        return subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                               "--allow-file-access-from-files", "--dump-dom", url],
                              capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def check_export_in_browser(checks, folder):
    """The exported term page opened from file:// in chromium: its definition, and its links resolve to the
    export's files."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("skip the browser checks of the export: chromium is not installed")
        return
    page = os.path.join(folder, "terms", "customer-email.html")
    result = dump_dom(chromium, "file://" + page)
    dom = result.stdout
    checks.check("<h1>customer-email</h1>" in dom and "personal data under GDPR" in dom,
                 "chromium shows the exported term page from file://", result.stderr[-300:])
    targets = [os.path.normpath(os.path.join(os.path.dirname(page), link)) for link in links_of(dom)
               if not re.match(r"^[a-z]+:", link) and not link.startswith("#")]
    checks.check(os.path.join(folder, "products", "sales", "orders.html") in targets and
                 all(os.path.isfile(target) for target in targets),
                 "the exported term page's links, as chromium read them, name files of the export",
                 "; ".join(target for target in targets if not os.path.isfile(target))[:300])


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    meshctl, screenshots = sys.argv[1], sys.argv[2]
    checks = Checks()
    work = tempfile.mkdtemp(prefix="meshctl-web-")
    try:
        registry = os.path.join(work, "registry.db")
        hostile = os.path.join(work, "hostile.yaml")
        with open(hostile, "w", encoding="utf-8") as fh:
            fh.write(HOSTILE)
        stale = os.path.join(work, "stale.jsonl")
        with open(stale, "w", encoding="utf-8") as fh:
            fh.write('{"type": "freshness", "time": "2026-01-01T00:00:00Z", "product": "sales/orders", '
                     '"port": "orders-table", "updatedAt": "2020-01-01T00:00:00Z"}\n')
        for step in (("apply", "-f", EXAMPLES), ("apply", "-f", hostile), ("usage", "report", "-f", stale),
                     ("deprecate", "sales/customers", "--sunset", "2099-12-31", "--reason", "Moved to the CRM")):
            result = meshctl_run(meshctl, *step, registry=registry)
            if result.returncode != 0:
                sys.exit(f"setup: meshctl {' '.join(step)} exited {result.returncode}: {result.stderr}")

        server = Server(meshctl, registry, ("--catalog", "off"))
        try:
            status, _, body = server.get("/")
            checks.check(status == 404 and "The catalog is off" in body,
                         "with --catalog off, / answers 404 saying the catalog is off", f"{status}")
        finally:
            server.stop()

        server = Server(meshctl, registry)
        try:
            check_sign_in(checks, meshctl, registry, server)
        finally:
            server.stop()

        server = Server(meshctl, registry, ("--catalog", "public"))
        try:
            check_served(checks, server)
            check_browser(checks, server, screenshots)
        finally:
            server.stop()
        check_export(checks, meshctl, registry, os.path.join(work, "site"))
        check_export_in_browser(checks, os.path.join(work, "site"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
