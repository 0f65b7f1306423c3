"""The browser-test harness: headless Chromium for the report and explorer tests in `27_cli`, `23_explorer` and CI.

It lives with the tests, not in the package: users never need it. Debian's `chromium` and `chromium-driver` provide
the browser and its driver (no download); `selenium` is a dev extra.
"""
import re, shutil, subprocess, time
from pathlib import Path


def find_chromium()->str:
    "The path of a Chromium/Chrome executable, or None."
    return next(filter(None, map(shutil.which, ('chromium', 'chromium-browser', 'google-chrome', 'chrome'))), None)


def headless_chromium(width:int=1400, # window width in pixels
                      height:int=1000, # window height in pixels
                     ):
    "A Selenium driver for headless Chromium, using the system's `chromedriver` (no download); None where either is missing."
    chrome, driver = find_chromium(), shutil.which('chromedriver')
    if chrome is None or driver is None: return None
    try: from selenium import webdriver
    except ImportError: raise ImportError("headless_chromium needs selenium (a dev extra): pip install selenium") from None
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', f'--window-size={width},{height}'): opts.add_argument(a)
    return webdriver.Chrome(options=opts, service=webdriver.ChromeService(executable_path=driver))


def wait_rendered(driver, # from `headless_chromium`
                  url:str, # the page, with any hash filters
                  timeout:float=30, # seconds
                 )->float:
    "Open `url` and wait until the explorer has rendered (its root carries `data-shown`); the seconds it took."
    from selenium.webdriver.support.ui import WebDriverWait
    start = time.perf_counter()
    driver.get('about:blank'); driver.get(url)
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("const r = document.getElementById('cc-explorer'); return r && r.dataset.shown !== undefined"))
    return time.perf_counter() - start


def wait_for(driver, # from `headless_chromium`
             css:str, # the element to wait for, as a CSS selector
             within=None, # look inside this element (default: the whole page)
             timeout:float=10, # seconds
            ):
    "The first element matching `css` (inside `within`), once it exists; a TimeoutException naming it if it does not appear in time."
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    root = within or driver
    return WebDriverWait(driver, timeout).until(lambda d: (root.find_elements(By.CSS_SELECTOR, css) or [None])[0],
                                                message=f"no element {css!r} appeared within {timeout} s")


def after_render(driver, # from `headless_chromium`, showing an explorer
                 action, # a function of no arguments that changes the view: a click, a new hash
                 timeout:float=10, # seconds
                ):
    "Do `action()` and wait until the explorer has rendered the new view (its root carries `data-shown` again); a TimeoutException naming the wait if it does not."
    from selenium.webdriver.support.ui import WebDriverWait
    driver.execute_script("delete document.getElementById('cc-explorer').dataset.shown")
    action()
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.getElementById('cc-explorer').dataset.shown !== undefined"),
                                         message=f"the explorer did not render again within {timeout} s")


def wait_value(driver, # from `headless_chromium`
               script:str, # JavaScript that returns the value, or null while it is not there yet
               what:str, # what is awaited, for the message
               unlike=None, # also wait until the value differs from this one
               timeout:float=10, # seconds
              ):
    "The value `script` returns, once it is not null (and not `unlike`); a TimeoutException naming `what` if it does not come in time."
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout).until(lambda d: (v := d.execute_script(script)) is not None and v != unlike and v,
                                                message=f"waited {timeout} s for {what}")


def browse_report(report, # path of report.html
                  screenshot=None, # write a PNG screenshot here
                  width:int=1200, height:int=2400, # window size
                 )->list:
    "Open `report` in headless Chromium; return the ids of the images it decoded (and write a screenshot)."
    chrome = find_chromium()
    if chrome is None: raise FileNotFoundError("no Chromium on this machine (Debian: apt-get install chromium)")
    base = [chrome, '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', f'--window-size={width},{height}',
            '--virtual-time-budget=10000']
    url = Path(report).resolve().as_uri()
    dom = subprocess.run(base + ['--dump-dom', url], capture_output=True, text=True, timeout=120).stdout
    if screenshot: subprocess.run(base + [f'--screenshot={screenshot}', url], capture_output=True, timeout=120)
    found = re.search(r'data-images-decoded="([^"]*)"', dom)
    return found.group(1).split(',') if found and found.group(1) != 'pending' else []
