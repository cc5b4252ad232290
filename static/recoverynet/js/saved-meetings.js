// "My meetings" without an account, as the Meeting Guide app keeps favourites; and Share.
//
// A saved meeting is its name, its day and time in words and its page's path, kept in this
// browser's localStorage and nowhere else: nothing here sends a request or sets a cookie.
// Without JavaScript (or without storage) the buttons stay hidden and /my-meetings/
// says plainly that saving needs JavaScript and suggests a bookmark.

const KEY = "recoverynet.savedMeetings";
const MAX_SAVED = 50;
// A meeting's own page, and nothing else, is ever turned back into a link.
const MEETING_PATH = /^\/meetings\/[A-Za-z0-9_-]+\/$/;

function storage() {
  try {
    const store = window.localStorage;
    store.setItem(`${KEY}.test`, "1");
    store.removeItem(`${KEY}.test`);
    return store;
  } catch {
    return null; // storage turned off, or a private window that refuses it
  }
}

function isMeeting(item) {
  return (
    item !== null &&
    typeof item === "object" &&
    typeof item.name === "string" &&
    typeof item.when === "string" &&
    typeof item.path === "string" &&
    MEETING_PATH.test(item.path)
  );
}

export function readSaved(store) {
  try {
    const items = JSON.parse(store.getItem(KEY) || "[]");
    return Array.isArray(items) ? items.filter(isMeeting) : [];
  } catch {
    return [];
  }
}

function writeSaved(store, items) {
  store.setItem(KEY, JSON.stringify(items.slice(0, MAX_SAVED)));
}

function setText(element, text) {
  if (element) {
    element.textContent = text;
  }
}

// --- A meeting's page: Save, Share, Copy link ----------------------------------------------

function initMeetingActions(store) {
  const actions = document.querySelector("[data-meeting-actions]");
  if (!actions) {
    return;
  }
  const status = actions.querySelector("[data-meeting-actions-status]");
  let shown = false;

  const save = actions.querySelector("[data-save-meeting]");
  if (save && store) {
    const meeting = { name: save.dataset.name || "", when: save.dataset.when || "", path: save.dataset.path || "" };
    if (isMeeting(meeting)) {
      const isSaved = () => readSaved(store).some((item) => item.path === meeting.path);
      const show = () => {
        const saved = isSaved();
        save.textContent = saved ? "Remove from my meetings" : "Save to my meetings";
        save.setAttribute("aria-pressed", saved ? "true" : "false");
      };
      save.addEventListener("click", () => {
        const others = readSaved(store).filter((item) => item.path !== meeting.path);
        if (isSaved()) {
          writeSaved(store, others);
          setText(status, "Removed from your meetings.");
        } else {
          writeSaved(store, [meeting, ...others]);
          setText(status, "Saved to your meetings, in this browser only.");
        }
        show();
        if (status && !status.querySelector("a")) {
          status.append(" ", myMeetingsLink());
        }
      });
      show();
      shown = true;
    } else {
      save.hidden = true;
    }
  } else if (save) {
    save.hidden = true;
  }

  const url = window.location.href;
  const title = document.title;
  const share = actions.querySelector("[data-share]");
  if (share && typeof navigator.share === "function") {
    share.hidden = false;
    shown = true;
    share.addEventListener("click", () => {
      navigator.share({ title, url }).catch(() => {
        // Closed without sharing: nothing to say.
      });
    });
  }
  const copy = actions.querySelector("[data-copy-link]");
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    shown = true;
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(url).then(
        () => setText(status, "Link copied."),
        () => setText(status, "The link could not be copied. Copy it from the address bar instead."),
      );
    });
  }
  actions.hidden = !shown;
}

function myMeetingsLink() {
  const link = document.createElement("a");
  link.className = "govuk-link";
  link.href = "/my-meetings/";
  link.textContent = "See my meetings";
  return link;
}

// --- /my-meetings/: the list, drawn from this browser's storage --------------------------

function savedItem(store, meeting, render, status) {
  const item = document.createElement("li");
  item.className = "rn-saved-meetings__item";
  const link = document.createElement("a");
  link.className = "govuk-link govuk-!-font-weight-bold";
  link.href = meeting.path; // checked against MEETING_PATH: always one of this site's meeting pages
  link.textContent = meeting.name;
  const when = document.createElement("p");
  when.className = "govuk-body-s govuk-!-margin-bottom-1";
  when.textContent = meeting.when;
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
  remove.dataset.removeSaved = "";
  remove.append("Remove");
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = ` ${meeting.name}`;
  remove.append(hidden);
  remove.addEventListener("click", () => {
    writeSaved(
      store,
      readSaved(store).filter((saved) => saved.path !== meeting.path),
    );
    setText(status, `Removed ${meeting.name}.`);
    render(true);
  });
  item.append(link, when, remove);
  return item;
}

function initSavedPage(store) {
  const list = document.querySelector("[data-saved-list]");
  if (!list || !store) {
    return; // the page keeps saying that saving needs JavaScript (and storage)
  }
  const nojs = document.querySelector("[data-saved-nojs]");
  const items = list.querySelector("[data-saved-items]");
  const empty = list.querySelector("[data-saved-empty]");
  const status = list.querySelector("[data-saved-status]");
  const heading = document.querySelector("main h1");
  const render = (afterRemove = false) => {
    const saved = readSaved(store);
    items.replaceChildren(...saved.map((meeting) => savedItem(store, meeting, render, status)));
    empty.hidden = saved.length > 0;
    items.hidden = saved.length === 0;
    if (afterRemove && heading) {
      // The button that had focus is gone: put focus somewhere sensible rather than on the page's top.
      const next = items.querySelector("a");
      (next || heading).focus();
    }
  };
  if (heading) {
    heading.tabIndex = -1;
  }
  if (nojs) {
    nojs.hidden = true;
  }
  list.hidden = false;
  render();
}

const store = storage();
initMeetingActions(store);
initSavedPage(store);
