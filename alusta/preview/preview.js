// Injected by `publish.py serve` only (alusta/preview/app.py): reloads the tab after each
// good rebuild and shows a build error over the page, keeping the last good page below it.
(() => {
  const script = document.currentScript;
  const heading = script.dataset.heading;
  let seen = null;

  function overlay(message) {
    let box = document.getElementById("alusta-preview-error");
    if (!message) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "alusta-preview-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#fff;color:#1a1a1a;border-top:6px solid #a3351b;" +
        "padding:1rem 1.5rem;font:1rem/1.5 sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    box.replaceChildren();
    const title = document.createElement("h2");
    title.textContent = heading;
    title.style.cssText = "margin:0 0 .5rem;font-size:1.2rem;color:#a3351b";
    const text = document.createElement("pre");
    text.textContent = message;
    text.style.cssText = "white-space:pre-wrap;margin:0;font:.95rem/1.4 monospace";
    box.append(title, text);
  }

  const events = new EventSource(script.dataset.events);
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.kind === "reload" && seen !== null && event.version !== seen) {
      window.location.reload();
      return;
    }
    seen = event.version;
    window.__alustaPreviewConnected = true;  // lets tests wait for the stream, not a timer
    overlay(event.kind === "error" ? event.message : "");
  };
})();
