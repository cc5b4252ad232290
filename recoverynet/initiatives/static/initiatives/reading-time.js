// A live "about N minutes M seconds to read" counter under a pitch's text.
// The page works without it: the hint states the limit and the server enforces it.
function readingTime(words, wordsPerMinute) {
  const total = Math.ceil((words * 60) / wordsPerMinute);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (seconds || !minutes) parts.push(`${seconds} second${seconds === 1 ? "" : "s"}`);
  return `about ${parts.join(" ")} to read`;
}

function countWords(text) {
  const found = text.match(/\S+/g);
  return found ? found.length : 0;
}

for (const area of document.querySelectorAll("textarea[data-reading-time]")) {
  const wordsPerMinute = Number(area.dataset.readingTime) || 200;
  const maxWords = Number(area.dataset.maxWords) || 600;
  const counter = document.createElement("p");
  counter.className = "govuk-body-s govuk-!-margin-top-1";
  counter.id = `${area.id}-reading-time`;
  counter.setAttribute("aria-live", "polite");
  area.insertAdjacentElement("afterend", counter);
  const update = () => {
    const words = countWords(area.value);
    const over = words - maxWords;
    counter.textContent =
      `${words} of ${maxWords} words: ${readingTime(words, wordsPerMinute)}` +
      (over > 0 ? `. ${over} word${over === 1 ? "" : "s"} too many.` : ".");
    counter.classList.toggle("govuk-error-message", over > 0);
  };
  area.addEventListener("input", update);
  update();
}
