// The whole walk of an arrival in the browser, once in each language of the pages: a clerk
// registers a household at the landing's desk, a screening officer screens its head and
// confirms the referral the screening proposes, a site manager shelters the household by
// the allocation proposal, and a data analyst sees the new person counted on the dashboard.
// Every page on the way is checked for missing messages in its language and its direction.
// Fields are found by their ids, which are the same in every language.

import { test } from "node:test";
import assert from "node:assert/strict";
import { withDemo, demo, page, logIn, noMissingMessage, screenshot } from "./support.mjs";

withDemo();

const walks = [
  { lang: "en", dir: "ltr", given: "Rukhsana", family: "Begum Talukder", dob: "1988-02-11" },
  { lang: "zh-CN", dir: "ltr", given: "Shahida", family: "Parvin Mollik", dob: "1979-09-23" },
  { lang: "ar", dir: "rtl", given: "Nasima", family: "Khatun Sarder", dob: "1995-06-04" },
];

/// Opens `path` in `lang` and checks the page speaks it whole, in its direction.
async function visit(p, path, lang, dir) {
  const join = path.includes("?") ? "&" : "?";
  await p.goto(`${demo.base}${path}${join}lang=${lang}`);
  await checked(p, lang, dir);
}

async function checked(p, lang, dir) {
  assert.equal(await p.locator("html").getAttribute("lang"), lang, p.url());
  assert.equal(await p.locator("html").getAttribute("dir"), dir, p.url());
  await noMissingMessage(p);
}

/// The number of people arriving in the landing's month, as the dashboard's first chart draws it.
async function arrivedThisMonth(p, lang, dir) {
  await visit(p, "/dashboard?site=PDE", lang, dir);
  const values = await p.locator("figure.chart").first().locator("text.value").allTextContents();
  return Math.max(...values.map((v) => Number(v.replace(/\D/g, "")) || 0));
}

let mnr;

test("before the walks: the site manager adds beds at Mina Raya, where the landing is sheltered", async () => {
  const p = await page();
  await logIn(p, "site_manager.aceh");
  const sites = await (await p.request.get(`${demo.base}/api/v1/sites`)).json();
  mnr = sites.items.find((s) => s.details.code === "MNR").id;
  await visit(p, `/sites/${mnr}`, "en", "ltr");
  // Women travelling alone are placed only in a women's safe space: the walks need beds.
  for (const [name, kind, beds] of [
    ["Communal hall 9", "communal_hall", "400"],
    ["Women's safe space 2", "womens_safe_space", "12"],
  ]) {
    await p.locator("#unit-name").fill(name);
    await p.locator("#unit-kind").selectOption(kind);
    await p.locator("#unit-beds").fill(beds);
    await p.locator("#unit-beds").press("Enter");
    await p.getByRole("rowheader", { name }).waitFor();
  }
  await p.context().close();
});

for (const w of walks) {
  test(`the walk of an arrival in ${w.lang}: register, screen, refer, shelter, count`, async () => {
    const { lang, dir } = w;
    const analyst = await page(lang);
    await logIn(analyst, "data_analyst.aceh");
    const before = await arrivedThisMonth(analyst, lang, dir);

    // The clerk registers a woman travelling alone at the landing's desk, by keyboard.
    const clerk = await page(lang);
    await logIn(clerk, "registration_clerk.aceh");
    await visit(clerk, "/arrivals", lang, dir);
    await clerk.locator("tbody tr", { hasText: "PDE" }).first().getByRole("link").first().click();
    await checked(clerk, lang, dir);
    await clerk.locator("#given_name").fill(w.given);
    await clerk.locator("#family_name").fill(w.family);
    await clerk.locator("#sex").selectOption("F");
    await clerk.locator("#dob").fill(w.dob);
    await clerk.locator("#nationality").fill("MMR");
    await clerk.locator("#f_18_59").fill("1");
    await clerk.locator("#f_18_59").press("Enter");
    const saved = clerk.getByRole("status").getByRole("link");
    await saved.waitFor();
    await checked(clerk, lang, dir);
    await saved.click();
    await checked(clerk, lang, dir);
    const household = clerk.url().split("/households/")[1].split("?")[0];
    const head = (await clerk.locator('main a[href^="/persons/"]').first().getAttribute("href")).split("/persons/")[1];
    await screenshot(clerk, `walk-${lang}-household`);
    await clerk.context().close();

    // The screening officer screens her: she fears return and asks for asylum.
    const officer = await page(lang);
    await logIn(officer, "screening_officer.aceh");
    await visit(officer, `/persons/${head}/screen`, lang, dir);
    await officer.locator("#a-stated_age").fill("34");
    await officer.locator("#a-reasons_for_leaving-persecution").check();
    await officer.locator("#a-fear_of_return-yes").check();
    await officer.locator("#a-wants_asylum-yes").check();
    await officer.locator("#a-woman_alone-yes").check();
    await officer.locator("main form[method=post] button[type=submit]").last().click();
    await officer.waitForURL(/\/screenings\//);
    await checked(officer, lang, dir);
    assert.ok((await officer.locator(".proposal").count()) >= 1, "the screening proposes a referral");
    await screenshot(officer, `walk-${lang}-outcome`, true);
    await officer.locator("main form[method=post] button[type=submit]").last().click();
    await officer.waitForURL(`${demo.base}/persons/${head}`);
    await checked(officer, lang, dir);
    const referrals = await (await officer.request.get(`${demo.base}/api/v1/persons/${head}/referrals`)).json();
    assert.ok(referrals.length >= 1, "the confirmed screening made its referrals");
    await officer.context().close();

    // The site manager shelters the household where the proposal says.
    const manager = await page(lang);
    await logIn(manager, "site_manager.aceh");
    await visit(manager, `/households/${household}/shelter?site=${mnr}`, lang, dir);
    const unit = manager.locator(`#unit-${head}`);
    assert.notEqual(
      await unit.inputValue(),
      "",
      `the proposal gives her a place: ${await manager.locator("main").innerText()}`,
    );
    await manager.locator(`form[method=post][action="/households/${household}/shelter"] button[type=submit]`).click();
    await manager.waitForURL(`${demo.base}/sites/${mnr}`);
    await checked(manager, lang, dir);
    const stays = await (await manager.request.get(`${demo.base}/api/v1/persons/${head}/stays`)).json();
    assert.ok(stays.some((s) => s.departed_at == null), "she stays at the site");
    await screenshot(manager, `walk-${lang}-site`);
    await manager.context().close();

    // The analyst sees one more person arrived in the landing's month.
    assert.equal(await arrivedThisMonth(analyst, lang, dir), before + 1, "the dashboard counts her");
    await screenshot(analyst, `walk-${lang}-dashboard`, true);
    await analyst.context().close();
  });
}
