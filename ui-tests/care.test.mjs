// Care pages in real headless Chromium against a real `passage demo`: the sites and their
// occupancy chart, placing a household by the allocation proposal, the distribution desk
// and its refusal of a second one-off entitlement, recording an incident, the tracing
// requests; one page in Arabic (right to left) and one in Chinese; axe-core on each page.

import { test } from "node:test";
import assert from "node:assert/strict";
import { withDemo, demo, page, logIn, noMissingMessage, axe, screenshot } from "./support.mjs";

withDemo();

/// Text as a reader sees it, without the invisible marks that keep numbers in their
/// direction inside a sentence.
const plain = (s) => s.replace(/[\u2068\u2069]/g, "");

/// A JSON answer of the API, with the page's session.
async function api(p, path) {
  const r = await p.request.get(`${demo.base}${path}`);
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`);
  return r.json();
}

/// "403 of 430 beds taken" → [403, 430].
function taken(text) {
  const m = plain(text).replaceAll(",", "").match(/(\d+) of (\d+) beds taken/);
  assert.ok(m, `beds taken in: ${text}`);
  return [Number(m[1]), Number(m[2])];
}

test("a site manager sees the occupancy chart and places a household by the proposal", async () => {
  const p = await page();
  await logIn(p, "site_manager.aceh");
  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sites" }).click();
  await p.waitForURL(`${demo.base}/sites`);
  const chart = p.getByRole("img", { name: "MNR · Mina Raya reception centre" });
  assert.ok((await chart.locator("rect.bar").count()) >= 4, "a bar per unit type");
  const values = (await chart.locator("text.value").allTextContents()).map(plain);
  assert.ok(
    values.some((v) => /^\d+ of \d+ beds taken/.test(v)),
    `the numbers are written: ${values}`,
  );
  const box = await chart.boundingBox();
  assert.ok(box && box.width > 300 && box.height > 50, "the chart is drawn");
  await noMissingMessage(p);
  await axe(p, "the sites page");
  await screenshot(p, "care-sites", true);

  await p.getByRole("link", { name: "MNR · Mina Raya reception centre" }).click();
  const summary = () => p.locator("main > p").nth(1).innerText();
  const [before, beds] = taken(await summary());
  assert.ok(before > 300, `the demo's landing is sheltered at MNR: ${before}`);

  // A unit with a bad number of beds is refused at the field, then added.
  await p.getByLabel("Unit", { exact: true }).fill("Communal hall 3");
  await p.getByLabel("Type").selectOption("communal_hall");
  await p.getByLabel("Beds").fill("many");
  await p.getByRole("button", { name: "Add the unit" }).click();
  assert.match(await p.locator("#unit-beds-problem").innerText(), /expected/);
  assert.equal(await p.getByLabel("Unit", { exact: true }).inputValue(), "Communal hall 3", "nothing typed is lost");
  await p.getByLabel("Beds").fill("400");
  await p.getByRole("button", { name: "Add the unit" }).click();
  await p.getByRole("rowheader", { name: "Communal hall 3" }).waitFor();
  assert.deepEqual(taken(await summary()), [before, beds + 400], "the site has 400 more beds");

  // A household of the landing not sheltered yet: the proposal now has room for it.
  const site = p.url().split("/sites/")[1];
  const arrivals = await api(p, "/api/v1/arrivals");
  const landing = arrivals.items.find((a) => a.details.persons_reported === 612);
  const proposal = await api(p, `/api/v1/sites/${site}/allocation-proposal?arrival_id=${landing.id}`);
  assert.ok(proposal.placements.length > 0, "the proposal places people in the new hall");
  const household = await api(p, `/api/v1/households/${proposal.placements[0].household_id}`);

  await p.goto(`${demo.base}/households/${household.id}/shelter?site=${site}`);
  await p.getByRole("heading", { name: /Where they could sleep/ }).waitFor();
  const selects = p.locator("main form select[name^='unit-']");
  const n = await selects.count();
  assert.ok(n >= 1, "a unit to choose for every member not staying");
  for (let i = 0; i < n; i++) {
    assert.notEqual(await selects.nth(i).inputValue(), "", "the proposed unit is chosen");
  }
  await noMissingMessage(p);
  await axe(p, "the shelter page");
  await screenshot(p, "care-shelter", true);
  await p.getByRole("button", { name: "Admit" }).click();
  await p.waitForURL(`${demo.base}/sites/${site}`);
  const [after] = taken(await summary());
  assert.equal(after, before + household.size, `occupancy goes up by the household's ${household.size}`);
  assert.ok(
    await p.getByRole("cell", { name: household.members[0].registration_number }).count(),
    "the head is listed among the people staying",
  );
  await noMissingMessage(p);
  await axe(p, "the site page");
  await screenshot(p, "care-site");

  // Back on the household's page: everyone stays somewhere, and can be moved.
  await p.goto(`${demo.base}/households/${household.id}/shelter?site=${site}`);
  await p.getByRole("heading", { name: "Move to another unit or site" }).waitFor();
  await p.getByLabel("Reason", { exact: true }).fill("closer to the water point");
  await p.getByRole("button", { name: "Move" }).click();
  assert.match(await p.locator("#to-unit-problem").innerText(), /Choose the unit/);
  // A full tent refuses them, and says so at the field; nobody has moved.
  const full = await p.locator("#to_unit option").evaluateAll((options) =>
    options.find((o) => o.textContent.replace(/[\u2068\u2069]/g, "").startsWith("Family tent 1 ("))?.value,
  );
  await p.locator("#to_unit").selectOption(full);
  await p.getByRole("button", { name: "Move" }).click();
  assert.match(await p.locator("#to-unit-problem").innerText(), /Family tent 1 is full/);
  assert.equal(await p.getByLabel("Reason", { exact: true }).inputValue(), "closer to the water point");
  await axe(p, "a refused transfer");
  await p.context().close();
});

test("the distribution desk gives a one-off entitlement once and says why not twice", async () => {
  const p = await page();
  await logIn(p, "assistance_officer.aceh");
  const programmes = await api(p, "/api/v1/programmes");
  const hygiene = programmes.find((x) => x.details.code === "HYGIENE");
  const given = await api(p, `/api/v1/distributions?programme_id=${hygiene.id}&limit=1000`);
  const had = new Set(given.map((d) => d.person_id));
  const persons = await api(p, "/api/v1/persons?limit=500");
  const person = persons.items.find((x) => !had.has(x.id) && x.registration_number.startsWith("PDE"));
  assert.ok(person, "someone of the landing without a hygiene kit");
  const number = person.registration_number;

  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Assistance" }).click();
  await p.getByLabel(/Registration number/).fill(number);
  await p.getByLabel("Site").selectOption({ label: "MNR · Mina Raya reception centre" });
  await p.keyboard.press("Enter");
  await p.getByRole("group", { name: "Entitlements" }).waitFor();
  const radio = p.getByRole("radio", { name: "HYGIENE · Hygiene kit on arrival" });
  assert.ok(await radio.isChecked(), "the entitlement not received yet is proposed");
  await p.getByRole("button", { name: /Give/ }).click();
  const done = plain(await p.getByRole("status").innerText());
  assert.match(done, /Given: HYGIENE to /);
  const recent = p.locator("table").nth(1);
  assert.ok(await recent.getByRole("cell", { name: number }).count(), "listed among the desk's distributions");
  await noMissingMessage(p);
  await axe(p, "the distribution desk");
  await screenshot(p, "care-assistance", true);

  await p.getByRole("radio", { name: "HYGIENE · Hygiene kit on arrival" }).check();
  await p.getByRole("button", { name: /Give/ }).click();
  const refusal = await p.locator("#give-problem").innerText();
  assert.match(refusal, /already received on .* \(once only\)/, refusal);
  await p.context().close();
});

test("an incident officer records an incident, sees it listed, and reads the tracing requests", async () => {
  const p = await page();
  await logIn(p, "incident_officer.aceh");
  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Incidents" }).click();
  await p.waitForURL(`${demo.base}/incidents`);
  const rescue = p.getByRole("row", { name: /rescue/ });
  assert.match(await rescue.innerText(), /\b9\b[\s\S]*\b22\b/, "the demo's rescue: 9 dead, 22 missing");
  await noMissingMessage(p);
  await axe(p, "the incidents list");

  await p.getByRole("link", { name: "Record an incident" }).click();
  await p.getByLabel("Kind").selectOption("shipwreck");
  const day = new Date(Date.now() - 2 * 86400_000).toISOString().slice(0, 10);
  await p.getByLabel("Date").fill(day);
  await p.getByLabel("Route").fill("Bay of Bengal and Andaman Sea");
  await p.getByLabel("Place").fill("off Lhokseumawe");
  await p.getByLabel("Aboard").fill("6");
  await p.getByLabel("Dead", { exact: true }).fill("4");
  await p.getByLabel("Missing", { exact: true }).fill("7");
  await p.getByLabel("Source", { exact: true }).fill("fishermen's account");
  await p.getByRole("button", { name: "Record" }).click();
  assert.match(await p.locator("#persons_aboard-problem").innerText(), /6 aboard/, "the counts must add up");
  await noMissingMessage(p);
  await axe(p, "the incident form");
  await p.getByLabel("Aboard").fill("40");
  await p.getByRole("button", { name: "Record" }).click();
  await p.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
  assert.match(await p.getByRole("heading", { level: 1 }).innerText(), /shipwreck/);
  await axe(p, "the incident page");

  await p.goto(`${demo.base}/incidents?kind=shipwreck`);
  const rows = p.locator("tbody tr");
  assert.equal(await rows.count(), 1, "only the shipwreck");
  assert.match(await rows.first().innerText(), /off Lhokseumawe[\s\S]*\b4\b[\s\S]*\b7\b/);
  await screenshot(p, "care-incidents");

  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tracing" }).click();
  await p.waitForURL(`${demo.base}/tracing`);
  await p.getByRole("link", { name: /Yousuf|Yusuf/ }).first().click();
  await p.getByRole("heading", { name: "Possible matches" }).waitFor();
  assert.ok((await p.locator("tbody").last().locator("tr").count()) >= 1, "the candidates are listed");
  await noMissingMessage(p);
  await axe(p, "a tracing request");
  await screenshot(p, "care-tracing", true);
  await p.goto(`${demo.base}/tracing/new`);
  await p.getByRole("button", { name: "Open the request" }).click();
  assert.match(await p.locator("#consent-problem").innerText(), /consent/, "no request without consent");
  await axe(p, "the tracing form");
  await p.context().close();
});

test("care pages in Arabic read right to left, and in Chinese, with every message", async () => {
  const p = await page();
  await logIn(p, "site_manager.aceh");
  await p.goto(`${demo.base}/sites?lang=ar`);
  assert.equal(await p.locator("html").getAttribute("dir"), "rtl");
  assert.equal(await p.getByRole("heading", { level: 1 }).innerText(), "المواقع والإيواء");
  await noMissingMessage(p);
  await axe(p, "the Arabic sites page");
  await screenshot(p, "care-sites-ar", true);
  await p.context().close();

  const z = await page("zh-CN");
  await logIn(z, "incident_officer.aceh");
  await z.goto(`${demo.base}/tracing?lang=zh-CN`);
  assert.equal(await z.getByRole("heading", { level: 1 }).innerText(), "家庭寻亲");
  await noMissingMessage(z);
  await z.goto(`${demo.base}/incidents`);
  assert.equal(await z.getByRole("heading", { level: 1 }).innerText(), "事件");
  await noMissingMessage(z);
  await axe(z, "the Chinese incidents page");
  await z.context().close();
});
