#!/usr/bin/env python3
"""Write the synthetic benchmark flow three ways from one step list.

The 100 steps on the sandbox page /bench/form (src/sandbox/bench.rs) become
  bench/runbooks/synthetic.yaml             (clickpath)
  bench/peers/playwright/synthetic.js       (Playwright, getByRole/getByLabel)
  bench/peers/selenium/synthetic.py         (Selenium, WebDriverWait + By.ID/XPATH)
so the three sides stay step for step the same. The generated files are
committed; `--check` (run by bench/run.sh) fails when they differ from what
this script writes. Edit this script, then run it without arguments.

Seven rounds of 14 steps after opening the page: fill a field, select in the
native <select> and in the ARIA combobox, tick or untick an extra, add or
remove an item, save the draft; each action is followed by an expect on what
it changed (the Summary, the basket, the status line), with new values every
round, so no expectation holds before its action ran.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret"]
ROTATING = [  # (field id, label, value): one per round
    ("last_name", "Last name", "Lovelace"),
    ("email", "Email", "grace@example.com"),
    ("phone", "Phone", "+44 20 7946 0003"),
    ("company", "Company", "Turing Labs"),
    ("street", "Street", "12 Dijkstra Road"),
    ("city", "City", "Cambridge"),
    ("postcode", "Postcode", "CB2 1TN"),
]
COUNTRIES = ["France", "Germany", "Ireland", "Spain", "Italy", "Portugal", "Netherlands"]
PLANS = ["Standard", "Premium", "Starter", "Ultimate", "Standard", "Premium", "Starter"]
EXTRAS = [("gift_wrap", "Gift wrap"), ("express", "Express delivery"), ("updates", "Order updates by email")]
BASKET = ["add", "add", "add", "remove", "add", "remove", "add"]


def steps():
    """The step list: dicts with kind, doc and the kind's arguments."""
    out = [
        {"kind": "goto", "doc": "Open the order form", "path": "/form"},
        {"kind": "expect_heading", "doc": "The **Order form** opens", "name": "Order form"},
    ]
    extras = {label: False for _, label in EXTRAS}
    items = 0
    for r in range(7):
        first = FIRST[r]
        fid, flabel, fvalue = ROTATING[r]
        xid, xlabel = EXTRAS[r % 3]
        on = not extras[xlabel]
        extras[xlabel] = on
        items += 1 if BASKET[r] == "add" else -1
        button = "Add item" if BASKET[r] == "add" else "Remove item"
        basket = f"Basket: {items} item" + ("" if items == 1 else "s")
        out += [
            {"kind": "fill", "doc": f"**First name:** {first}", "id": "first_name", "label": "First name", "value": first},
            {"kind": "expect_summary", "doc": f"The Summary shows First name: {first}", "text": f"First name: {first}"},
            {"kind": "fill", "doc": f"**{flabel}:** {fvalue}", "id": fid, "label": flabel, "value": fvalue},
            {"kind": "expect_summary", "doc": f"The Summary shows {flabel}: {fvalue}", "text": f"{flabel}: {fvalue}"},
            {"kind": "select", "doc": f"**Country:** {COUNTRIES[r]}", "id": "country", "label": "Country", "option": COUNTRIES[r]},
            {"kind": "expect_summary", "doc": f"The Summary shows Country: {COUNTRIES[r]}", "text": f"Country: {COUNTRIES[r]}"},
            {"kind": "combo", "doc": f"**Plan:** {PLANS[r]}", "id": "plan", "label": "Plan", "option": PLANS[r]},
            {"kind": "expect_summary", "doc": f"The Summary shows Plan: {PLANS[r]}", "text": f"Plan: {PLANS[r]}"},
            {"kind": "check" if on else "uncheck", "doc": f"{'Tick' if on else 'Untick'} **{xlabel}**", "id": xid, "label": xlabel},
            {"kind": "expect_summary", "doc": f"The Summary shows {xlabel}: {'yes' if on else 'no'}", "text": f"{xlabel}: {'yes' if on else 'no'}"},
            {"kind": "click", "doc": f"Click **{button}**", "button": button},
            {"kind": "expect_text", "doc": f"The basket reads {basket}", "id": "basket", "text": basket},
            {"kind": "click", "doc": "Click **Save draft**", "button": "Save draft"},
            {"kind": "expect_text", "doc": f"The status line reads Draft saved ({r + 1})", "id": "status", "text": f"Draft saved ({r + 1})"},
        ]
    assert len(out) == 100, len(out)
    return out


def groups(step_list):
    """Documentation steps: an action and the expects after it."""
    out = []
    for s in step_list:
        if s["kind"].startswith("expect") and out:
            out[-1].append(s)
        else:
            out.append([s])
    return out


def q(s):
    """A YAML / JS / Python double-quoted string (JSON's escaping suits all three here)."""
    return json.dumps(s, ensure_ascii=False)


def yaml_step(s):
    k = s["kind"]
    doc = f"  - doc: {q(s['doc'])}\n"
    if k == "goto":
        return doc + f"    goto: {s['path']}\n"
    if k == "expect_heading":
        return doc + f"    expect: {{heading: {q(s['name'])}}}\n"
    if k == "expect_summary":
        return doc + f"    expect: {{text: {q(s['text'])}, within: {{region: Summary}}}}\n"
    if k == "expect_text":
        return doc + f"    expect: {{text: {q(s['text'])}}}\n"
    if k == "fill":
        return doc + f"    fill: {{label: {q(s['label'])}, value: {q(s['value'])}}}\n"
    if k in ("select", "combo"):
        return doc + f"    select: {{label: {q(s['label'])}, option: {q(s['option'])}}}\n"
    if k in ("check", "uncheck"):
        return doc + f"    {k}: {{checkbox: {q(s['label'])}}}\n"
    if k == "click":
        return doc + f"    click: {{button: {q(s['button'])}}}\n    destructive: false\n"
    raise ValueError(k)


def js_step(s):
    k = s["kind"]
    if k == "goto":
        act = f"page.goto(base + '/bench{s['path']}')"
    elif k == "expect_heading":
        act = f"page.getByRole('heading', {{ name: {q(s['name'])} }}).waitFor()"
    elif k == "expect_summary":
        act = f"summary.getByText({q(s['text'])}).waitFor()"
    elif k == "expect_text":
        act = f"page.getByText({q(s['text'])}).waitFor()"
    elif k == "fill":
        act = f"page.getByLabel({q(s['label'])}, {{ exact: true }}).fill({q(s['value'])})"
    elif k == "select":
        act = f"page.getByLabel({q(s['label'])}).selectOption({{ label: {q(s['option'])} }})"
    elif k == "combo":
        return (f"    await step({q(s['doc'])}, async () => {{\n"
                f"      await page.getByRole('combobox', {{ name: {q(s['label'])} }}).click();\n"
                f"      await page.getByRole('option', {{ name: {q(s['option'])}, exact: true }}).click();\n"
                "    });\n")
    elif k in ("check", "uncheck"):
        act = f"page.getByRole('checkbox', {{ name: {q(s['label'])} }}).{k}()"
    elif k == "click":
        act = f"page.getByRole('button', {{ name: {q(s['button'])} }}).click()"
    else:
        raise ValueError(k)
    return f"    await step({q(s['doc'])}, () => {act});\n"


def py_step(s):
    k = s["kind"]
    if k == "goto":
        act = f"driver.get(base + {q('/bench' + s['path'])})"
    elif k == "expect_heading":
        act = f"see((By.XPATH, {q('//h1[normalize-space()=' + repr(s['name']) + ']')}))"
    elif k == "expect_summary":
        act = f"see_text((By.ID, \"summary\"), {q(s['text'])})"
    elif k == "expect_text":
        act = f"see_text((By.ID, {q(s['id'])}), {q(s['text'])})"
    elif k == "fill":
        act = f"type_into((By.ID, {q(s['id'])}), {q(s['value'])})"
    elif k == "select":
        act = f"choose((By.ID, {q(s['id'])}), {q(s['option'])})"
    elif k == "combo":
        opt = f"//ul[@id='{s['id']}_list']/li[normalize-space()='{s['option']}']"
        act = f"pick((By.ID, {q(s['id'] + '_combo')}), (By.XPATH, {q(opt)}))"
    elif k in ("check", "uncheck"):
        act = f"set_checked((By.ID, {q(s['id'])}), {k == 'check'})"
    elif k == "click":
        act = f"click((By.XPATH, {q('//button[normalize-space()=' + repr(s['button']) + ']')}))"
    else:
        raise ValueError(k)
    return f"        ev.step({q(s['doc'])}, lambda: {act})\n"


def render():
    st = steps()
    gs = groups(st)
    yml = (
        "# yaml-language-server: $schema=../../runbook.schema.json\n"
        "# Generated by bench/gen_synthetic.py with its Playwright and Selenium mirrors: edit that.\n"
        "# 100 steps on one sandbox page (/bench/form) to expose per-step overhead (issue 12).\n"
        "name: Fill in and save the order form, seven times over\n"
        "provider: bench\n"
        "base_url: http://127.0.0.1:8080/bench\n"
        "viewport: {width: 1280, height: 800}\n"
        "steps:\n" + "".join(yaml_step(s) for s in st)
    )
    js = [
        "// Generated by bench/gen_synthetic.py from the step list of bench/runbooks/synthetic.yaml: edit that.\n",
        "'use strict';\n\n",
        f"// {len(st)} steps in {len(gs)} documentation steps (an action and the expects after it).\n",
        "module.exports = async function synthetic(page, base, { doc, step }) {\n",
        "  const summary = page.getByRole('region', { name: 'Summary' });\n",
    ]
    py = [
        "# Generated by bench/gen_synthetic.py from the step list of bench/runbooks/synthetic.yaml: edit that.\n",
        '"""The synthetic flow for Selenium: 100 steps on /bench/form."""\n',
        "from selenium.webdriver.common.by import By\n\n\n",
        f"# {len(st)} steps in {len(gs)} documentation steps (an action and the expects after it).\n",
        "def synthetic(driver, base, ev, h):\n",
        "    type_into, click, choose, pick, set_checked, see, see_text = (\n",
        "        h.type_into, h.click, h.choose, h.pick, h.set_checked, h.see, h.see_text)\n",
    ]
    for g in gs:
        js.append(f"  await doc({q(g[0]['doc'])}, async () => {{\n")
        js += [js_step(s) for s in g]
        js.append("  });\n")
        py.append(f"    with ev.doc({q(g[0]['doc'])}):\n")
        py += [py_step(s) for s in g]
    js.append("};\n")
    return {
        HERE / "runbooks" / "synthetic.yaml": yml,
        HERE / "peers" / "playwright" / "synthetic.js": "".join(js),
        HERE / "peers" / "selenium" / "synthetic.py": "".join(py),
    }


def main():
    files = render()
    if sys.argv[1:] == ["--check"]:
        stale = [str(p) for p, text in files.items() if not p.exists() or p.read_text() != text]
        if stale:
            sys.exit("bench: out of date, run bench/gen_synthetic.py: " + ", ".join(stale))
        return
    for p, text in files.items():
        p.write_text(text)
        print(f"wrote {p.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
