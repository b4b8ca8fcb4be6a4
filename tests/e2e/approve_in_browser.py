#!/usr/bin/python3
"""A person on their phone answering the daemon's approval page, in Debian's headless Chromium
driven through WebDriver, with JavaScript disabled: the page must work without it.

usage: approve_in_browser.py URL --action verify|deny|report|look [--number N] [--pin P]
           [--screenshots DIR --name NAME] [--width W --height H] [--reload-after]

Opens URL, saves {NAME}-phone-page.png (390x844) and {NAME}-desktop-page.png (1280x800), then at
W x H (default: the phone) types N into #number and P into #pin (when the page has one), clicks
#verify, #deny or #report, waits for #result, saves {NAME}-result.png and prints:
    FIELDS <ids of the inputs the page had: number,pin>
    RESULT <text of #result>
With --action look it only reads the page (a link that is gone): RESULT is the text of #result,
or of the page's main text.
With --reload-after it then opens URL again (a replayed link) and prints
    AGAIN <text of #result, or of the page's main text>
Exit 0 whatever the page said; anything else (no browser, no such element, no #result) is a
harness error: exit 2 with the reason on stderr.
"""
import argparse
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

PHONE = (390, 844)
DESKTOP = (1280, 800)
WAIT_SECONDS = 20


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("url")
    p.add_argument("--action", required=True, choices=["verify", "deny", "report", "look"])
    p.add_argument("--number")
    p.add_argument("--pin")
    p.add_argument("--screenshots")
    p.add_argument("--name", default="page")
    p.add_argument("--width", type=int, default=PHONE[0])
    p.add_argument("--height", type=int, default=PHONE[1])
    p.add_argument("--reload-after", action="store_true")
    return p.parse_args()


def start_browser():
    # Proxies from the environment would send loopback requests elsewhere.
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        os.environ.pop(var, None)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--no-proxy-server",
                "--disable-gpu", "--lang=en-US", "--hide-scrollbars"):
        options.add_argument(arg)
    # The point of the exercise: the page must not need scripts.
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def set_viewport(driver, width, height):
    # Device emulation gives the exact CSS viewport (a window size would include browser chrome)
    # and, with mobile=True, honours the page's <meta name=viewport> as a phone does.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def screenshot(driver, args, suffix):
    if args.screenshots:
        path = os.path.join(args.screenshots, f"{args.name}-{suffix}.png")
        if not driver.save_screenshot(path):
            raise RuntimeError(f"could not save {path}")


def one_line(text):
    return " ".join(text.split())


def page_text(driver):
    for how in ((By.ID, "result"), (By.TAG_NAME, "main"), (By.TAG_NAME, "body")):
        try:
            return one_line(driver.find_element(*how).text)
        except NoSuchElementException:
            continue
    return ""


def fill(driver, element_id, value):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(value)


def wait_for_result(driver):
    """The text of #result once the answer page is there. While the browser is between the
    form and the answer, lookups can fail in several ways (stale element, detached frame):
    those are retried until the deadline, not taken as the answer."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            found = driver.find_elements(By.ID, "result")
            if found:
                return one_line(found[0].text)
        except WebDriverException:
            pass
        time.sleep(0.2)
    return None


def run(driver, args):
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
    set_viewport(driver, *PHONE)
    driver.get(args.url)
    screenshot(driver, args, "phone-page")
    set_viewport(driver, *DESKTOP)
    screenshot(driver, args, "desktop-page")
    set_viewport(driver, args.width, args.height)

    present = [i for i in ("number", "pin") if driver.find_elements(By.ID, i)]
    print("FIELDS", ",".join(present), flush=True)
    if args.action == "look":
        screenshot(driver, args, "result")
        print("RESULT", page_text(driver), flush=True)
        return
    if args.number is not None:
        if "number" not in present:
            raise RuntimeError(f"no #number on the page: {page_text(driver)!r}")
        fill(driver, "number", args.number)
    if args.pin is not None and "pin" in present:
        fill(driver, "pin", args.pin)
    button = driver.find_element(By.ID, args.action)
    button.click()
    text = wait_for_result(driver)
    if text is None:
        raise RuntimeError(f"no #result after {args.action}: {page_text(driver)!r}")
    screenshot(driver, args, "result")
    print("RESULT", text, flush=True)

    if args.reload_after:
        driver.get(args.url)
        screenshot(driver, args, "again")
        print("AGAIN", page_text(driver), flush=True)


def main():
    args = parse_args()
    try:
        driver = start_browser()
    except WebDriverException as e:
        print(f"HARNESS ERROR: cannot start chromium through chromedriver: {e.msg}",
              file=sys.stderr)
        return 2
    try:
        run(driver, args)
        return 0
    except (WebDriverException, RuntimeError, OSError) as e:
        print(f"HARNESS ERROR: {getattr(e, 'msg', None) or e}", file=sys.stderr)
        return 2
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
