// The registration desk in real headless Chromium against a real `passage demo`: the
// arrivals, a level-1 household registered by keyboard alone, a likely duplicate shown
// with its reasons and declared another person, a household's members and token, a
// person page with a pasted MRZ verified, and the desk in Arabic and Chinese.

import { test } from "node:test";
import assert from "node:assert/strict";
import { withDemo, demo, page, logIn, noMissingMessage, axe, screenshot } from "./support.mjs";

withDemo();

const clerk = "registration_clerk.aceh";

/// The ICAO 9303 check digit of an MRZ field.
function checkDigit(field) {
  const weights = [7, 3, 1];
  let sum = 0;
  [...field].forEach((c, i) => {
    const v = c === "<" ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * weights[i % 3];
  });
  return String(sum % 10);
}

/// A TD3 passport MRZ; `worn` misprints the date-of-birth check digit.
function td3({ state, family, given, number, birth, sex, expiry }, worn = false) {
  const line1 = `P<${state}${family}<<${given}`.padEnd(44, "<");
  const num = number.padEnd(9, "<");
  const optional = "<".repeat(14);
  const body = `${num}${checkDigit(num)}`;
  const born = `${birth}${checkDigit(birth)}`;
  const rest = `${expiry}${checkDigit(expiry)}${optional}${checkDigit(optional)}`;
  const composite = checkDigit(`${body}${born}${rest}`);
  const printedBorn = worn ? `${birth}${(Number(checkDigit(birth)) + 1) % 10}` : born;
  return `${line1}\n${body}${state}${printedBorn}${sex}${rest}${composite}`;
}

/// The desk of the demo's sea landing at Ujong Pie (PDE), opened from the arrivals.
async function openDesk(p) {
  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Registration" }).click();
  await p.getByRole("link", { name: /Open the desk.*PDE/ }).click();
  await p.getByRole("heading", { level: 1, name: "Registration desk" }).waitFor();
}

/// The value shown beside `label` on a page of facts.
async function fact(p, label) {
  return (await p.locator(`dt:text-is("${label}") + dd`).first().innerText()).trim();
}

test("the arrivals list the landing, newest first, with people reported and registered", async () => {
  const p = await page();
  await logIn(p, clerk);
  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Registration" }).click();
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "Arrivals");
  const landing = p.locator("tbody tr", { hasText: "PDE" });
  assert.equal(await landing.count(), 1);
  const cells = await landing.locator("td").allInnerTexts();
  assert.ok(cells.includes("612") && cells.includes("600"), `reported 612, registered 600: ${cells}`);
  assert.ok(await p.getByLabel("Arrived at (UTC)").isVisible(), "the form to record an arrival");
  await noMissingMessage(p);
  await axe(p, "the arrivals");
  await screenshot(p, "registration-arrivals");
  await p.context().close();
});

test("a household registered at level 1 by keyboard alone appears first on the desk", async () => {
  const p = await page();
  await logIn(p, clerk);
  await openDesk(p);
  assert.equal(await p.evaluate(() => document.activeElement?.id), "given_name", "the head's name has the focus");
  const k = p.keyboard;
  await k.type("Zebulon");
  await k.press("Tab");
  await k.type("Quixtaver");
  await k.press("Tab");
  await k.type("M");
  await k.press("Tab");
  await k.type("1990-05-01");
  await k.press("Tab");
  await k.press("Tab");
  await k.type("MMR");
  await k.press("Tab");
  await k.press("Tab");
  await k.type("3");
  await k.press("Tab"); // women and girls 0-4
  await k.type("1");
  for (let i = 0; i < 3; i++) await k.press("Tab"); // women 18-59
  await k.type("1");
  for (let i = 0; i < 5; i++) await k.press("Tab"); // men 18-59
  await k.type("1");
  await k.press("Enter");
  await p.waitForURL(/\?saved=/);
  assert.match(await p.getByRole("status").innerText(), /Household registered: PDE-/);
  const first = p.locator("#households tbody tr").first();
  assert.match(await first.innerText(), /Zebulon Quixtaver\s+3/);
  assert.equal(await p.locator("#given_name").inputValue(), "", "the form is empty for the next household");
  await noMissingMessage(p);
  await axe(p, "the desk");
  await screenshot(p, "registration-desk");
  await p.context().close();
});

test("a likely duplicate comes back with its reasons; declared another person, it is saved", async () => {
  const p = await page();
  await logIn(p, clerk);
  // A demo person, read from their page.
  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" }).click();
  await p.getByLabel("Name or registration number").fill("pde-000008-7");
  await p.keyboard.press("Enter");
  await p.waitForURL(/q=pde-000008-7/);
  await noMissingMessage(p);
  await axe(p, "the search for people");
  await p.getByRole("link", { name: "PDE-000008-7" }).click();
  const given = await fact(p, "Given name");
  const family = await fact(p, "Family name");
  const year = (await fact(p, "Date of birth")).match(/\d{4}/)[0];
  const nationality = await fact(p, "Nationality");
  await openDesk(p);
  await p.getByLabel(/^Given name/).fill(given);
  await p.getByLabel("Family name").fill(family);
  await p.getByLabel("Sex").selectOption("M");
  await p.getByLabel("Date of birth").fill(year);
  await p.getByLabel("Nationality").fill(nationality);
  await p.getByLabel("Size").fill("1");
  // As the names are typed, the script already shows who looks alike.
  await p.locator("#dup-live a", { hasText: "PDE-000008-7" }).waitFor();
  await p.getByRole("button", { name: "Register the household" }).click();
  await p.getByRole("heading", { name: "Possibly registered already" }).waitFor();
  const candidate = p.locator(".reg-candidate", { hasText: "PDE-000008-7" });
  assert.equal(await p.evaluate(() => document.activeElement?.name), "not_duplicate",
    "the cursor waits at the first decision");
  assert.match(await candidate.innerText(), /probability \d+%/);
  assert.match(await candidate.locator("table").innerText(), /name/, "the name's contribution is shown");
  assert.equal(await p.getByLabel(/^Given name/).inputValue(), given, "what was typed is kept");
  assert.equal(await p.getByLabel("Nationality").inputValue(), nationality);
  await noMissingMessage(p);
  await axe(p, "the desk with a likely duplicate");
  await p.getByRole("heading", { name: "Possibly registered already" }).scrollIntoViewIfNeeded();
  await screenshot(p, "registration-duplicate");
  await candidate.getByLabel(/This is another person/).check();
  await p.getByLabel(/Why they are other people/).fill("Different father's name and village; checked with him.");
  await p.getByRole("button", { name: "Register the household" }).click();
  await p.waitForURL(/\?saved=/);
  assert.match(await p.locator("#households tbody tr").first().innerText(), new RegExp(`${given} ${family}`));
  await p.context().close();
});

test("a household registers a member and prints its token; a person's MRZ is verified", async () => {
  const p = await page();
  await logIn(p, clerk);
  await p.goto(`${demo.base}/persons?q=Zebulon`);
  await p.getByRole("link", { name: /^PDE-/ }).first().click();
  await p.getByRole("link", { name: "Household", exact: true }).click();
  assert.match(await p.getByRole("heading", { level: 1 }).innerText(), /Household PDE-/);
  const token = p.getByRole("img", { name: /QR code and number of household/ });
  assert.ok(await token.evaluate((img) => img.complete && img.naturalWidth > 0), "the token is drawn");
  assert.ok(await p.getByRole("button", { name: "Print the token" }).isVisible());
  await p.getByLabel(/^Given name/).fill("Ayla");
  await p.getByLabel("Family name").fill("Quixtaver");
  await p.getByLabel("Sex").selectOption("F");
  await p.getByLabel("Or estimated age in years").fill("31");
  await p.getByLabel("Relationship to the head").selectOption("spouse");
  await p.getByRole("button", { name: "Register the member" }).click();
  await p.locator("main table tbody tr", { hasText: "Ayla Quixtaver" }).waitFor();
  assert.match(await p.locator("main").innerText(), /Members not yet registered one by one: 1/);
  await noMissingMessage(p);
  await axe(p, "the household");
  await screenshot(p, "registration-household");

  await p.getByRole("link", { name: /^PDE-/ }).first().click();
  assert.match(await p.getByRole("heading", { level: 1 }).innerText(), /Zebulon Quixtaver/);
  assert.ok(await p.getByRole("link", { name: "Information sheet" }).isVisible());
  assert.equal(await p.getByRole("heading", { name: "Who saw or changed this record" }).count(), 0,
    "only the data-protection focal point sees the audit");
  const passport = {
    state: "MMR", family: "QUIXTAVER", given: "ZEBULON", number: "MA1234567",
    birth: "900501", sex: "M", expiry: "310101",
  };
  await p.getByLabel(/Machine-readable zone/).fill(td3(passport, true));
  await p.getByRole("button", { name: "Check the MRZ" }).click();
  const result = p.getByRole("status");
  await result.waitFor();
  assert.match(await result.innerText(), /a check digit is wrong/);
  assert.match(await result.innerText(), /Check digits that fail: date of birth/);
  await p.getByLabel(/Machine-readable zone/).fill(td3(passport));
  await p.getByRole("button", { name: "Save the document" }).click();
  const doc = p.locator(".reg-document", { hasText: "MA1234567" });
  await doc.waitFor();
  assert.match(await doc.innerText(), /every check digit is right/);
  const rows = await doc.locator("tbody tr").allInnerTexts();
  assert.equal(rows.filter((r) => /matches/.test(r)).length, 5, `every declared field matches: ${rows}`);
  await noMissingMessage(p);
  await axe(p, "the person page");
  await screenshot(p, "registration-person", true);
  await p.context().close();
});

test("the data-protection focal point sees who saw a person; the clerk does not", async () => {
  const p = await page();
  await logIn(p, "data_protection_focal_point.aceh");
  await p.goto(`${demo.base}/persons?q=PDE-000008-7`);
  await p.getByRole("link", { name: "PDE-000008-7" }).click();
  await p.getByRole("heading", { name: "Who saw or changed this record" }).waitFor();
  const rows = p.locator("table", { has: p.getByRole("columnheader", { name: "Who" }) }).locator("tbody tr");
  assert.ok((await rows.count()) > 0, "the reads of the record are listed");
  assert.match(await rows.first().innerText(), /\d{2}:\d{2}\s+\S+.*read/);
  await noMissingMessage(p);
  await axe(p, "the person page for the focal point");
  await p.context().close();
});

test("each role's person page shows what the role may read and the links it may follow", async () => {
  const roles = [
    ["screening_officer.aceh", "Start a screening interview", "Screenings"],
    ["site_manager.aceh", "Place the household in shelter", "Shelter"],
    ["asylum_caseworker.aceh", "Information sheet", "Cases"],
  ];
  for (const [user, link, section] of roles) {
    const p = await page();
    await logIn(p, user);
    const answer = await p.goto(`${demo.base}/persons?q=PDE-000002-K`);
    assert.equal(answer.status(), 200, `${user} can search`);
    await p.getByRole("link", { name: "PDE-000002-K" }).click();
    assert.ok(await p.getByRole("link", { name: link }).isVisible(), `${user} sees ${link}`);
    assert.ok(await p.getByRole("heading", { name: section, exact: true }).isVisible(), `${user} sees ${section}`);
    await noMissingMessage(p);
    await p.context().close();
  }
});

test("the desk in Arabic reads right to left and in Chinese, every message translated", async () => {
  for (const [lang, heading] of [["ar", "مكتب التسجيل"], ["zh-CN", "登记台"]]) {
    const p = await page();
    await logIn(p, clerk);
    await p.goto(`${demo.base}/arrivals?lang=${lang}`);
    await noMissingMessage(p);
    await p.locator("tbody tr", { hasText: "PDE" }).getByRole("link").click();
    assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), heading);
    assert.equal(await p.locator("html").getAttribute("dir"), lang === "ar" ? "rtl" : "ltr");
    await noMissingMessage(p);
    await axe(p, `the desk in ${lang}`);
    await screenshot(p, `registration-desk-${lang}`);
    await p.goto(`${demo.base}/persons?q=PDE-000008-7`);
    await p.getByRole("link", { name: "PDE-000008-7" }).click();
    await noMissingMessage(p);
    // The language picked is kept on the clerk: give the next tests their English back.
    await p.goto(`${demo.base}/?lang=en`);
    await p.context().close();
  }
});

test("a new arrival is recorded and opens its own empty desk", async () => {
  const p = await page();
  await logIn(p, clerk);
  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Registration" }).click();
  await p.getByLabel("Site").selectOption({ label: "PDE · Ujong Pie beach, Pidie" });
  await p.getByLabel("Mode").selectOption("sea");
  await p.getByLabel("Arrived at (UTC)").fill("2026-11-27T01:00");
  await p.getByLabel("People reported").fill("41");
  await p.getByLabel("Route").fill("Andaman Sea");
  await p.getByRole("button", { name: "Record the arrival" }).click();
  await p.getByRole("heading", { level: 1, name: "Registration desk" }).waitFor();
  assert.match(await p.locator("main").innerText(), /No household registered from this arrival yet/);
  await p.getByRole("link", { name: "Arrivals" }).click();
  const first = await p.locator("tbody tr").first().locator("td").allInnerTexts();
  assert.ok(first.includes("41") && first.includes("0"), `the new arrival comes first: ${first}`);
  await p.context().close();
});
