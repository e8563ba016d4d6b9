/* Swiftpost tracking: a client-side routed single-page app (history.pushState, no server round trip). */
(function () {
  "use strict";

  var PARCELS = {
    "SP482193715GB": {
      sender: "Harlow & Finch",
      recipient: "Jane Doe",
      postcode: "M14 5RT",
      status: "Sorry we missed you",
      summary: "We tried to deliver your parcel on Tuesday 11 June but nobody was in. It's now at our " +
               "Longsight delivery office.",
      events: [
        ["Tue 11 Jun, 16:42", "Held at Longsight delivery office"],
        ["Tue 11 Jun, 13:05", "Delivery attempted – nobody in"],
        ["Tue 11 Jun, 07:18", "Out for delivery"],
        ["Mon 10 Jun, 22:40", "At Manchester Mail Centre"],
        ["Sat 8 Jun, 18:02", "Collected from Harlow & Finch"]
      ]
    }
  };

  var app = document.getElementById("app");

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function navigate(url) {
    history.pushState({}, "", url);
    render();
    window.scrollTo(0, 0);
  }

  function show(title, html) {
    document.title = title + " | Swiftpost";
    app.innerHTML = html;
    var h1 = app.querySelector("h1");
    if (h1) { h1.setAttribute("tabindex", "-1"); h1.focus(); }
  }

  function home() {
    show("Track your parcel",
      '<div class="card"><h1>Track your parcel</h1>' +
      '<form id="track-form" autocomplete="off">' +
      '<input type="text" name="tracking" placeholder="Enter your tracking number">' +
      ' <button class="btn" type="submit">Track</button></form>' +
      '<p class="hint">Your tracking number is 13 characters, like SP123456789GB.</p></div>' +
      '<div class="card"><h2>Missed a delivery?</h2>' +
      '<p><a href="/redelivery" data-link>Arrange a redelivery</a> or ' +
      '<a href="/locations" data-link>find your delivery office</a>.</p></div>');
    bindTrackForm();
  }

  function trackForm() {
    show("Track your parcel",
      '<div class="card"><h1>Track your parcel</h1>' +
      '<form id="track-form" autocomplete="off">' +
      '<input type="text" name="tracking" placeholder="Enter your tracking number">' +
      ' <button class="btn" type="submit">Track</button></form>' +
      '<p class="hint">You can find your tracking number in your shipping confirmation e-mail.</p></div>');
    bindTrackForm();
  }

  function bindTrackForm() {
    var form = document.getElementById("track-form");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var id = form.tracking.value.replace(/\s+/g, "").toUpperCase();
      if (id) { navigate("/track/" + encodeURIComponent(id)); }
    });
  }

  function trackResult(id) {
    var p = PARCELS[id];
    if (!p) {
      show("Parcel not found",
        '<div class="card"><h1>We can\'t find that parcel</h1>' +
        '<p>Please check the tracking number and try again.</p>' +
        '<p><a href="/track" data-link>Try again</a></p></div>');
      return;
    }
    var key = new URLSearchParams(location.search).get("key");
    var to = key ? esc(p.recipient) + ", " + esc(p.postcode) : esc(p.postcode.split(" ")[0]) + " ***";
    var events = p.events.map(function (e) {
      return "<li><strong>" + esc(e[0]) + "</strong> " + esc(e[1]) + "</li>";
    }).join("");
    show("Parcel " + id,
      '<div class="card"><p class="hint">Parcel ' + esc(id) + " from " + esc(p.sender) + "</p>" +
      '<h1 class="status">' + esc(p.status) + "</h1>" +
      "<p>" + esc(p.summary) + "</p>" +
      "<p>Delivering to: " + to + "</p>" +
      '<p><a class="btn" href="/redelivery" data-link>Arrange a redelivery</a> ' +
      '<a class="btn btn-secondary" href="/locations" data-link>Collect it</a></p></div>' +
      '<div class="card"><h2>Tracking history</h2><ul class="timeline">' + events + "</ul></div>");
  }

  function redelivery() {
    show("Arrange a redelivery",
      '<div class="card"><h1>Arrange a redelivery</h1>' +
      "<p>Choose a new day for us to deliver your parcel. You'll need the card we left when we tried to deliver.</p>" +
      '<div id="errors"></div>' +
      '<form id="redelivery-form" novalidate>' +
      '<label for="card-ref">Card reference</label>' +
      '<p class="hint" id="card-ref-hint">The 9-digit number on the "Sorry we missed you" card, e.g. 123 456 789</p>' +
      '<input type="text" id="card-ref" name="card" aria-describedby="card-ref-hint" inputmode="numeric">' +
      '<label for="rd-postcode">Postcode</label>' +
      '<input type="text" id="rd-postcode" name="postcode">' +
      '<p><button class="btn" type="submit">Continue</button></p></form>' +
      '<p><a href="/help/no-card" data-link>Didn\'t get a card?</a></p></div>');
    var form = document.getElementById("redelivery-form");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!/^\d{9}$/.test(form.card.value.replace(/\s+/g, ""))) {
        form.card.setAttribute("aria-invalid", "true");
        document.getElementById("errors").innerHTML =
          '<div class="error-summary" role="alert"><h2>There is a problem</h2>' +
          "<p>Enter the 9-digit reference from the card we left</p></div>";
        return;
      }
      navigate("/redelivery/choose-date");
    });
  }

  function noCard() {
    show("We didn't leave a card",
      '<div class="card"><p class="hint"><a href="/help" data-link>Help</a> › Receiving</p>' +
      "<h1>We didn't leave a card</h1>" +
      "<p>If you didn't get a \"Sorry we missed you\" card, don't worry. You can still arrange a redelivery: " +
      "just track your parcel and select <strong>Arrange a redelivery</strong>.</p>" +
      '<p><a class="btn" href="/track" data-link>Track your parcel</a></p></div>');
  }

  function help() {
    show("Help centre",
      '<div class="card"><h1>Help centre</h1><ul>' +
      '<li><a href="/help/no-card" data-link>We didn\'t leave a card</a></li>' +
      '<li><a href="/redelivery" data-link>Arrange a redelivery</a></li>' +
      '<li><a href="/locations" data-link>Find a delivery office</a></li></ul></div>');
  }

  function contact() {
    show("Contact us",
      '<div class="card"><h1>Contact us</h1>' +
      '<div class="error-summary" role="alert"><p>Sorry, our online contact form is temporarily unavailable. ' +
      "Please try again later.</p></div>" +
      '<p>Before you get in touch, most questions are answered in our <a href="/help" data-link>Help centre</a>.</p></div>');
  }

  function generic(title) {
    return function () {
      show(title, '<div class="card"><h1>' + esc(title) + "</h1><p>Coming soon.</p></div>");
    };
  }

  var routes = [
    [/^\/$/, home],
    [/^\/track\/?$/, trackForm],
    [/^\/track\/([A-Za-z0-9]+)\/?$/, trackResult],
    [/^\/redelivery\/?$/, redelivery],
    [/^\/help\/no-card\/?$/, noCard],
    [/^\/help\/?$/, help],
    [/^\/contact\/?$/, contact],
    [/^\/send\/?$/, generic("Send a parcel")],
    [/^\/receive\/?$/, generic("Receiving a parcel")],
    [/^\/business\/?$/, generic("Swiftpost for business")],
    [/^\/locations\/?$/, generic("Find a drop-off point")],
    [/^\/privacy\/?$/, generic("Privacy notice")]
  ];

  function render() {
    var path = location.pathname;
    for (var i = 0; i < routes.length; i++) {
      var m = path.match(routes[i][0]);
      if (m) { routes[i][1].apply(null, m.slice(1)); return; }
    }
    show("Page not found", '<div class="card"><h1>Page not found</h1><p><a href="/" data-link>Go to the home page</a></p></div>');
  }

  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-link]");
    if (a && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      e.preventDefault();
      navigate(a.getAttribute("href"));
    }
  });
  window.addEventListener("popstate", render);
  render();
})();
