"""In a real browser: the explorer inside JupyterLab, and the printable case report.

Headless Chromium from the system packages (``apt-get install chromium``; ``.ci/run``
installs it) driven by Playwright for Python, pointed at that binary (Playwright's own
browser download is not used). JupyterLab runs on 127.0.0.1 with a token, started by the
fixture below and stopped after the tests. Outside CI the tests skip, with this reason, when
Chromium is not installed; in CI (``CI`` set) they always run.

Set ``GLUTEAL_BN_SCREENSHOTS=folder`` to keep screenshots of what the tests saw.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

import gluteal_bn as gb

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
A4_POINTS = (595.28, 841.89)
MARGIN_MM = 14  # the report's @page margin, left and right
EVIDENCE = {"fever": "yes", "local_redness_swelling": "yes", "age": "40_to_60"}


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip(
            "headless Chromium is not installed (apt-get install chromium); the browser "
            "tests always run in CI, where .ci/run installs it"
        )


def _screenshot(page, name: str, selector: str | None = None) -> None:
    folder = os.environ.get("GLUTEAL_BN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = str(Path(folder) / f"{name}.png")
        if selector:
            page.locator(selector).first.screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 in a temporary folder; yields (base URL, token, folder)."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("lab")
    home = tmp_path_factory.mktemp("jupyter_home")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import gluteal_bn as gb\nview = gb.explorer(gb.load_model())\nview"
        )
    ]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, folder / "explorer.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    environment = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
        "MPLBACKEND": "Agg",
    }
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--LabApp.extension_manager=readonly",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            "--ServerApp.port_retries=0",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=",
        ],
        cwd=folder,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(
                        "JupyterLab did not start:\n" + (home / "lab.log").read_text()
                    ) from None
                time.sleep(0.5)
        yield base, token, folder
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


LIVE_BARS = ".widget-html .gluteal-bn-diagnosis tbody td b"
SNAPSHOT_BARS = ".gluteal-bn-explorer-snapshot .gluteal-bn-diagnosis tbody td b"
WAIT_FOR_BARS = (
    "expected => Array.from(document.querySelectorAll("
    f"'{LIVE_BARS}')).map(e => e.innerText).join() === expected.join()"
)


def _run_first_cell(page) -> None:
    """Run the notebook's first cell once its kernel is idle (a cell run before the kernel
    is connected is not run at all); run it again if it has not started within a minute."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first.wait_for(
        state="attached", timeout=180_000
    )
    prompt = page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").first
    for _ in range(3):
        page.locator(".jp-Notebook .jp-Cell .cm-content").first.click(timeout=120_000)
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function(
                "prompt => !/\\[\\s*\\]/.test(prompt.innerText)",
                arg=prompt.element_handle(),
                timeout=60_000,
            )
            return
        except PlaywrightTimeout:
            continue


def _shown_posteriors(page, selector: str = LIVE_BARS) -> list[str]:
    """The posterior percentages the explorer's bars show (bold cells of its table)."""
    return page.locator(selector).all_inner_texts()


def _percentages(series) -> list[str]:
    return [f"{100 * p:.1f}%" for p in series]


def test_explorer_in_jupyterlab_click_a_node_and_the_bars_change(browser, jupyter_lab):
    base, token, _ = jupyter_lab
    model = gb.load_model()
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    try:
        page.goto(f"{base}/lab/tree/explorer.ipynb?token={token}")
        _run_first_cell(page)
        fever = page.locator('.widget-box svg [data-node="fever"]')
        fever.wait_for(timeout=180_000)
        page.wait_for_function(
            f"() => document.querySelectorAll('{LIVE_BARS}').length > 0",
            timeout=60_000,
        )
        assert _shown_posteriors(page) == _percentages(model.prior())
        _screenshot(page, "explorer_prior", ".jp-OutputArea")
        # the static snapshot is hidden while the widget runs
        assert page.locator(".gluteal-bn-explorer-snapshot").count() == 1
        assert not page.locator(".gluteal-bn-explorer-snapshot").is_visible()

        # a click on the node sets its first state; the bars move to that posterior
        fever.click()
        expected = _percentages(model.posterior({"fever": "no"}))
        page.wait_for_function(
            WAIT_FOR_BARS,
            arg=expected,
            timeout=60_000,
        )
        # a second click: the next state; the node now says it is observed
        page.locator('.widget-box svg [data-node="fever"]').click()
        expected = _percentages(model.posterior({"fever": "yes"}))
        page.wait_for_function(
            WAIT_FOR_BARS,
            arg=expected,
            timeout=60_000,
        )
        border = page.locator('.widget-box svg [data-node="fever"] rect').first.get_attribute(
            "stroke-width"
        )
        assert border == "3"

        # the next questions: click an answer of the best one
        best = model.next_questions({"fever": "yes"})
        name = best.best
        label = str(best.ranking.loc[name, "label"])
        state = model.states(name)[-1]
        gain = best.ranking.loc[name, "information_gain"]
        row = page.locator(".widget-hbox", has_text=f"{label}: {gain:.2f} bits").last
        row.wait_for(timeout=60_000)
        row.locator("button").last.click()
        expected = _percentages(model.posterior({"fever": "yes", name: state}))
        page.wait_for_function(
            WAIT_FOR_BARS,
            arg=expected,
            timeout=60_000,
        )
        _screenshot(page, "explorer_answered", ".jp-OutputArea")

        # reset: back to the prior
        page.get_by_role("button", name=re.compile("Reset")).click()
        expected = _percentages(model.prior())
        page.wait_for_function(
            WAIT_FOR_BARS,
            arg=expected,
            timeout=60_000,
        )
    finally:
        page.close()


def _svg_probabilities(page) -> dict[tuple[str, str], float]:
    """(variable, state) -> the exact probability on each bar of the live network picture."""
    found = page.evaluate(
        """() => Array.from(document.querySelectorAll(
                '.widget-box svg [data-node] rect.bar[data-probability]'))
            .map(bar => [bar.closest('[data-node]').dataset.node, bar.dataset.state,
                         bar.dataset.probability])"""
    )
    return {(name, state): float(value) for name, state, value in found}


def _set_slider(page, label: str, value: float) -> None:
    """Type ``value`` into the readout of the explorer's slider described ``label``."""
    slider = page.locator(".widget-slider").filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    readout = slider.locator(".widget-readout").first
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{value:.2f}")
    page.keyboard.press("Enter")


def test_explorer_soft_evidence_on_a_three_state_finding(browser, jupyter_lab):
    """Sliders per state of a 3-state finding move the bars to model.query's answer."""
    base, token, folder = jupyter_lab
    model = gb.load_model()
    name = "sitting_effect"
    assert len(model.states(name)) == 3
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import gluteal_bn as gb\nview = gb.explorer(gb.load_model())\nview"
        )
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, folder / "soft.ipynb")
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    try:
        # a workspace of its own: only this notebook is open (not the other test's too)
        page.goto(f"{base}/lab/workspaces/soft/tree/soft.ipynb?token={token}")
        _run_first_cell(page)
        page.locator('.widget-box svg [data-node="fever"]').wait_for(timeout=180_000)
        page.wait_for_function(
            f"() => document.querySelectorAll('{LIVE_BARS}').length > 0", timeout=60_000
        )
        prior = _svg_probabilities(page)
        assert prior[(name, "worse")] == pytest.approx(
            float(model.query([name])[name]["worse"]), abs=1e-9
        )

        # choose the finding for soft evidence: one slider per state appears
        soft = page.locator(".widget-dropdown").filter(
            has=page.locator("label", has_text="Soft evidence on")
        )
        soft.locator("select").select_option(label=model.labels[name])
        labels = [model.vocabulary.state_label(name, state) for state in model.states(name)]
        for label in labels:
            page.locator(".widget-slider label", has_text=re.compile(f"^{label}$")).wait_for(
                timeout=60_000
            )
        likelihood = {"no_change": 1.0, "worse": 0.9, "relieved": 0.2}
        _set_slider(page, model.vocabulary.state_label(name, "worse"), likelihood["worse"])
        _set_slider(page, model.vocabulary.state_label(name, "relieved"), likelihood["relieved"])
        expected = _percentages(model.posterior(soft={name: likelihood}))
        page.wait_for_function(WAIT_FOR_BARS, arg=expected, timeout=60_000)
        _screenshot(page, "explorer_soft", ".jp-OutputArea")

        # every bar of the picture is model.query's answer with the same virtual evidence
        marginals = model.query(model.variables, soft={name: likelihood})
        shown = _svg_probabilities(page)
        assert shown != prior
        assert set(shown) == {
            (variable, state)
            for variable in (*model.risk_factors, *model.findings)
            for state in model.states(variable)
        }
        for (variable, state), probability in shown.items():
            assert probability == pytest.approx(float(marginals[variable][state]), abs=1e-9)

        # a click on the node still cycles hard evidence, which wins over the soft
        page.locator(f'.widget-box svg [data-node="{name}"]').click()
        first = model.states(name)[0]
        expected = _percentages(model.posterior({name: first}))
        page.wait_for_function(WAIT_FOR_BARS, arg=expected, timeout=60_000)
    finally:
        _screenshot(page, "explorer_soft_last")  # what the page showed at the end
        page.close()


def test_explorer_in_a_notebook_exported_to_html_shows_a_snapshot(browser, tmp_path):
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import gluteal_bn as gb\nview = gb.explorer(gb.load_model())\n"
            "view.click('fever'); view.click('fever')\nview"
        )
    ]
    NotebookClient(notebook, kernel_name="python3", timeout=300).execute()
    body, _ = HTMLExporter().from_notebook_node(notebook)
    target = tmp_path / "exported.html"
    target.write_text(body, encoding="utf-8")

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(re.compile(r"^https?://"), lambda route: route.abort())
    try:
        page.goto(target.as_uri())
        node = page.locator('.gluteal-bn-explorer-snapshot svg [data-node="fever"]').first
        node.wait_for(timeout=30_000)
        assert node.is_visible()
        posterior = gb.load_model().posterior({"fever": "yes"})
        assert _shown_posteriors(page, SNAPSHOT_BARS) == _percentages(posterior)
        _screenshot(page, "explorer_exported")
    finally:
        page.close()


def _write_report(tmp_path, language: str = "en") -> Path:
    return gb.load_model().diagnose(EVIDENCE).to_html(tmp_path / "case.html", language=language)


def test_report_renders_without_console_errors_and_without_network(browser, tmp_path):
    target = _write_report(tmp_path)
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    problems: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda request: None if request.url.startswith("file:") else outside.append(request.url),
    )
    try:
        page.goto(target.as_uri())
        page.wait_for_load_state("load")
        assert page.locator("svg").count() == 2
        for index in range(2):
            box = page.locator("svg").nth(index).bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
        assert page.get_by_text("Case report", exact=True).is_visible()
        _screenshot(page, "report_screen")
    finally:
        page.close()
    assert problems == []
    assert outside == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_report_prints_on_a4_with_nothing_cut(browser, tmp_path, language):
    target = _write_report(tmp_path, language)
    page = browser.new_page()
    try:
        page.goto(target.as_uri())
        page.emulate_media(media="print")
        # the printable width of A4 with the report's margins, in CSS pixels
        printable = (210 - 2 * MARGIN_MM) / 25.4 * 96
        page.set_viewport_size({"width": int(printable), "height": 1100})
        widest = page.evaluate(
            """() => {
                let worst = {right: 0, what: ""};
                for (const element of document.querySelectorAll("body *")) {
                    const box = element.getBoundingClientRect();
                    if (box.width > 0 && box.right > worst.right) {
                        worst = {right: box.right, what: element.tagName + " "
                                 + (element.textContent || "").slice(0, 40)};
                    }
                }
                return {worst, scroll: document.documentElement.scrollWidth};
            }"""
        )
        assert widest["scroll"] <= int(printable), widest
        assert widest["worst"]["right"] <= printable + 0.5, widest
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        _screenshot(page, f"report_print_{language}")
    finally:
        page.close()
    (tmp_path / "case.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    for width, height in boxes:
        assert abs(float(width) - A4_POINTS[0]) < 2 and abs(float(height) - A4_POINTS[1]) < 2
    if shutil.which("pdftotext") or os.environ.get("CI"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "case.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        from gluteal_bn.i18n import translation

        t = translation(language)
        for needle in ("Case report", "What to ask next", "What each finding contributes"):
            assert t.gettext(needle) in text
        assert t.marked(gb.DISCLAIMER).split(".")[0] in " ".join(text.split())
        assert json.dumps(gb.__version__).strip('"') in text
