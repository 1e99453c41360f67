// The stance board: answers "where did everyone stand on day D?" from the spans embedded in the page, as
// `timeline stance --as-of D` does: a span decides the days in [valid_from, valid_to).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var topicSelect = document.getElementById("topic");
  var dayInput = document.getElementById("as-of");
  var board = document.getElementById("board");
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];

  function state() {
    var hash = new URLSearchParams(location.hash.slice(1));
    return { topic: hash.get("topic") || data.topics[0].topic_id, day: hash.get("as-of") || data.default_day };
  }

  function go(topic, day) {
    location.hash = "topic=" + encodeURIComponent(topic) + "&as-of=" + encodeURIComponent(day);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function written(from, to, precision) {
    // A date shown as precisely as it is known: a month as a month, an open start as undated.
    if (!from) return "undated (on or before " + to + ")";
    if (precision === "month") return MONTHS[Number(from.slice(5, 7)) - 1] + " " + from.slice(0, 4);
    if (precision === "year") return from.slice(0, 4);
    if (precision === "day" || from === to) return from;
    if (precision === "week") return "the week of " + from;
    return "between " + from + " and " + to;
  }

  function inForce(day) {
    return function (row) { return row.valid_from <= day && day < row.valid_to; };
  }

  function sourceLine(row) {
    var parts = [row.outlet || row.source_id, ", "];
    parts.push(el("cite", {}, [row.title || row.source_id]));
    if (row.url) { parts.push(" "); parts.push(el("a", { href: row.url }, ["(link)"])); }
    return el("p", { "class": "source" }, parts);
  }

  function claimsAbout(actor, topic, day) {
    var latest = {};
    data.claims.forEach(function (c) {
      if (c.subject_id !== actor || c.topic_id !== topic) return;
      if ((c.occurred_from || "-infinity") > day) return;
      var held = latest[c.claimant_id];
      if (!held || (held.occurred_from || "") <= (c.occurred_from || "")) latest[c.claimant_id] = c;
    });
    return Object.keys(latest).sort().map(function (key) { return latest[key]; });
  }

  function members(group, topic, day, rows) {
    var byActor = {};
    rows.forEach(function (row) { byActor[row.actor_id] = row; });
    return data.memberships.filter(function (m) {
      return m.group_id === group && (m.valid_from || "") <= day && (!m.valid_to || day < m.valid_to);
    }).map(function (m) { return byActor[m.actor_id]; }).filter(Boolean);
  }

  function row(span, day, rows) {
    var uncertain = span.occurred_to > day;
    var since = !span.since ? "undated"
      : ["month", "year"].indexOf(span.since_precision) >= 0 ? written(span.since, span.since, span.since_precision)
      : span.since + (span.since_precision === "day" ? "" : " (" + span.since_precision + ")");
    var head = el("summary", {}, [
      el("a", { href: "actors/" + span.actor_id + ".html", "class": "actor" }, [span.actor_name || span.actor_id]),
      " ",
      el("strong", { "class": "stance stance-" + span.score }, [span.stance.replace("_", " ")]),
      " ",
      el("span", { "class": "since" + (uncertain ? " uncertain" : "") }, ["since " + since +
        (uncertain ? " (date uncertain)" : "")])
    ]);
    var evidence = [];
    if (span.quote) evidence.push(el("blockquote", {}, ["\u201c" + span.quote + "\u201d"]));
    evidence.push(el("p", {}, [span.summary]));
    evidence.push(el("p", { "class": "when" }, ["Said " + written(span.occurred_from, span.occurred_to, span.date_precision) +
      " (as written: \u201c" + span.date_text + "\u201d, " + span.date_precision + ")"]));
    evidence.push(sourceLine(span));
    if (span.other_sources.length) {
      evidence.push(el("p", { "class": "others" }, ["Also reported by: " + span.other_sources.join(", ")]));
    }
    claimsAbout(span.actor_id, span.topic_id, day).forEach(function (c) {
      evidence.push(el("p", { "class": "claim" }, [el("span", { "class": "badge" }, ["second-hand"]), " " +
        (c.claimant_name || c.claimant_id) + " claims " + c.claimed_stance.replace("_", " ") + ", " +
        written(c.occurred_from, c.occurred_to, c.date_precision)]));
    });
    var inOffice = members(span.actor_id, span.topic_id, day, rows);
    if (inOffice.length) {
      var positive = inOffice.some(function (m) { return m.score > 0; });
      var negative = inOffice.some(function (m) { return m.score < 0; });
      evidence.push(el("p", { "class": "members" }, [(positive && negative ? "Divided. " : "") + "Members in office: " +
        inOffice.map(function (m) { return (m.actor_name || m.actor_id) + " " + m.stance.replace("_", " "); }).join(", ")]));
    }
    return el("details", {
      "class": "row", "data-actor": span.actor_id, "data-topic": span.topic_id, "data-stance": span.stance
    }, [head].concat(evidence));
  }

  function render() {
    var now = state();
    topicSelect.value = now.topic;
    dayInput.value = now.day;
    var topic = data.topics.filter(function (t) { return t.topic_id === now.topic; })[0];
    document.getElementById("proposition").textContent = topic ? topic.proposition : "";
    document.querySelectorAll("figure.chart").forEach(function (figure) {
      figure.hidden = figure.getAttribute("data-topic") !== now.topic;
    });
    var rows = data.spans.filter(function (s) { return s.topic_id === now.topic; }).filter(inForce(now.day));
    rows.sort(function (a, b) { return a.actor_id < b.actor_id ? -1 : 1; });
    board.textContent = "";
    board.appendChild(el("p", { "class": "count" }, [rows.length + " positions on " + now.topic + " as of " + now.day]));
    rows.forEach(function (span) { board.appendChild(row(span, now.day, rows)); });
  }

  function step(direction) {
    var now = state();
    var days = data.spans.filter(function (s) { return s.topic_id === now.topic && /^\d/.test(s.valid_from); })
      .map(function (s) { return s.valid_from; }).sort();
    var next = direction > 0 ? days.filter(function (d) { return d > now.day; })[0]
      : days.filter(function (d) { return d < now.day; }).pop();
    if (next) go(now.topic, next);
  }

  topicSelect.addEventListener("change", function () { go(topicSelect.value, dayInput.value); });
  dayInput.addEventListener("change", function () { if (dayInput.value) go(topicSelect.value, dayInput.value); });
  document.getElementById("earlier").addEventListener("click", function () { step(-1); });
  document.getElementById("later").addEventListener("click", function () { step(1); });
  window.addEventListener("hashchange", render);
  render();
}());
