"use strict";
// The preview's only script (allowed by hash in the page's Content-Security-Policy): the filter box
// and the light/dark toggle. Card content never runs script here.
(() => {
  const FILTER_DELAY_MS = 120;
  const root = document.documentElement;
  const filter = document.getElementById("pv-filter");
  const shown = document.getElementById("pv-shown");
  const toggle = document.getElementById("pv-theme");
  const cards = Array.from(document.querySelectorAll(".pv-card"));
  const chapters = Array.from(document.querySelectorAll(".pv-chapter"));
  const hosts = Array.from(document.querySelectorAll(".pv-render"));

  // Each note type's CSS is on the page once and shared by every card side's shadow root.
  const sheets = Array.from(document.querySelectorAll("template.pv-stylesheet"), (template) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(Array.from(template.content.querySelectorAll("style"), (s) => s.textContent).join("\n"));
    return sheet;
  });
  for (const host of hosts) {
    if (host.shadowRoot) host.shadowRoot.adoptedStyleSheets = [sheets[Number(host.dataset.style)]];
  }

  function setTheme(dark) {
    root.dataset.theme = dark ? "dark" : "light";
    toggle.setAttribute("aria-pressed", String(dark));
    toggle.textContent = dark ? "Light mode" : "Dark mode";
    // Anki marks night mode with classes on the card's body; the same classes drive the deck's CSS here.
    for (const host of hosts) {
      const card = host.shadowRoot && host.shadowRoot.querySelector(".card");
      if (card) {
        card.classList.toggle("nightMode", dark);
        card.classList.toggle("night_mode", dark);
      }
    }
  }

  function applyFilter() {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let count = 0;
    for (const card of cards) {
      const text = card.dataset.text;
      const match = words.every((word) => text.includes(word));
      card.hidden = !match;
      if (match) count += 1;
    }
    for (const chapter of chapters) {
      const visible = chapter.querySelectorAll(".pv-card:not([hidden])").length;
      chapter.hidden = visible === 0;
      chapter.querySelector(".pv-chapter-shown").textContent = String(visible);
    }
    shown.textContent = String(count);
    filter.dataset.applied = filter.value;  // tells a waiting reader (or a test) the list is current
  }

  // Typing runs the filter once the typist pauses, not on every key, however large the deck.
  let pending = 0;
  filter.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(applyFilter, FILTER_DELAY_MS);
  });
  toggle.addEventListener("click", () => setTheme(root.dataset.theme !== "dark"));
  setTheme(window.matchMedia("(prefers-color-scheme: dark)").matches);
  applyFilter();
})();
