"use strict";
// The preview's only script (allowed by hash in the page's Content-Security-Policy): the filter box
// and the light/dark toggle. Card content never runs script here.
(() => {
  const root = document.documentElement;
  const filter = document.getElementById("pv-filter");
  const shown = document.getElementById("pv-shown");
  const toggle = document.getElementById("pv-theme");
  const cards = Array.from(document.querySelectorAll(".pv-card"));
  const chapters = Array.from(document.querySelectorAll(".pv-chapter"));

  function setTheme(dark) {
    root.dataset.theme = dark ? "dark" : "light";
    toggle.setAttribute("aria-pressed", String(dark));
    toggle.textContent = dark ? "Light mode" : "Dark mode";
    // Anki marks night mode with classes on the card's body; the same classes drive the deck's CSS here.
    for (const host of document.querySelectorAll(".pv-render")) {
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
      chapter.hidden = !chapter.querySelector(".pv-card:not([hidden])");
    }
    shown.textContent = String(count);
  }

  filter.addEventListener("input", applyFilter);
  toggle.addEventListener("click", () => setTheme(root.dataset.theme !== "dark"));
  setTheme(window.matchMedia("(prefers-color-scheme: dark)").matches);
  applyFilter();
})();
