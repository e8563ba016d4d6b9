/* Harvestbox account: a small history.pushState router. Every page is drawn here. */
(function () {
  'use strict';
  var root = document.getElementById('root');
  var account = null;

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; });
  }

  function loadAccount() {
    if (account) return Promise.resolve(account);
    var params = new URLSearchParams(location.search);
    var url = '/api/account';
    if (params.get('key')) {
      url += '?email=' + encodeURIComponent(params.get('email') || '') + '&key=' + encodeURIComponent(params.get('key'));
    }
    return fetch(url, {credentials: 'same-origin'}).then(function (r) {
      if (!r.ok) throw new Error('signed out');
      return r.json();
    }).then(function (data) { account = data; return data; });
  }

  function signedOut() {
    root.innerHTML = '<h1>Your link has expired</h1><p>For your security, links in our e-mails only work for a ' +
      'short time. Open the latest "Manage your box" e-mail and try again.</p>';
  }

  var pages = {
    '/account': function (a) {
      return '<h1>Hi ' + esc(a.first_name) + '</h1>' +
        '<div class="card"><strong>Your plan</strong><br>' + esc(a.plan) + '</div>' +
        '<div class="card"><strong>Next box</strong><br>' + esc(a.next_box) + ', delivered ' + esc(a.next_window) + '</div>' +
        '<nav class="menu" aria-label="Account">' +
        '<a href="/account/deliveries" data-link>Upcoming deliveries</a>' +
        '<a href="/account/pause" data-link>Pause deliveries</a>' +
        '<a href="/account/plan" data-link>Plan settings</a>' +
        '<a href="/account/details" data-link>Personal details</a></nav>';
    },
    '/account/pause': function (a) {
      var weeks = a.pause_weeks.map(function (w) {
        return '<option value="' + w + '">' + w + (w === 1 ? ' week' : ' weeks') + '</option>';
      }).join('');
      var starts = a.pause_starts.map(function (s) { return '<option>' + esc(s) + '</option>'; }).join('');
      return '<h1>Pause your deliveries</h1>' +
        '<p>Going away? Pause your boxes and pick up where you left off. You won\u2019t be charged while you\u2019re paused.</p>' +
        '<form id="pause-form">' +
        '<label for="pause-weeks">How long for?</label><select id="pause-weeks" name="weeks">' + weeks + '</select>' +
        '<label for="pause-from">Starting from</label><select id="pause-from" name="from">' + starts + '</select>' +
        '<div class="note"><strong>Need a longer break?</strong> Pauses of more than 4 weeks can only be set up in ' +
        'the Harvestbox app: go to Account \u203a Deliveries \u203a Take a break.</div>' +
        '<button type="submit" class="primary">Confirm pause</button></form>';
    },
    '/help': function () {
      return '<h1>Help centre</h1><p>Answers to the questions we get asked most.</p>' +
        '<nav class="menu" aria-label="Help topics">' +
        '<a href="/help/pausing" data-link>How do I pause my deliveries for longer?</a>' +
        '<a href="/help/delivery-day" data-link>Can I change my delivery day?</a>' +
        '<a href="/help/missing-box" data-link>My box hasn\u2019t arrived</a>' +
        '<a href="/help/contact" data-link>Contact us</a></nav>';
    },
    '/help/pausing': function () {
      return '<p><a href="/help" data-link>Help centre</a> \u203a Pausing</p>' +
        '<h1>How do I pause my deliveries for longer?</h1>' +
        '<p>You can pause your deliveries from your account whenever you like, as long as you do it before ' +
        'the Friday cut-off for the next box. Just choose how long you\u2019d like to pause for.</p>' +
        '<p><a href="/account/pause" data-link>Pause my deliveries</a></p>';
    },
    '/help/contact': function () {
      return '<h1>Contact us</h1>' +
        '<p>We\u2019re making it easier to get help. We no longer answer e-mail or web messages.</p>' +
        '<p>For anything about your account, please message us in the Harvestbox app, where our team can see ' +
        'your orders and reply in the same thread.</p>';
    }
  };

  function render() {
    var path = location.pathname.replace(/\/+$/, '') || '/account';
    var draw = pages[path];
    loadAccount().then(function (a) {
      root.innerHTML = draw ? draw(a) : '<h1>Page not found</h1><p><a href="/account" data-link>Go to my account</a></p>';
      document.title = (root.querySelector('h1') || {}).textContent + ' \u2013 Harvestbox';
      var form = document.getElementById('pause-form');
      if (form) form.addEventListener('submit', pause);
    }, signedOut);
  }

  function pause(event) {
    event.preventDefault();
    var form = event.target;
    fetch('/api/pause', {method: 'POST', headers: {'Content-Type': 'application/json'}, credentials: 'same-origin',
                         body: JSON.stringify({weeks: form.weeks.value, from: form.from.value})})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        root.innerHTML = '<h1>You\u2019re paused</h1><p>No boxes for ' + esc(d.weeks) + ' week(s) from ' +
          esc(d.from) + '.</p><p><a href="/account" data-link>Back to my account</a></p>';
      });
  }

  function navigate(href) {
    history.pushState({}, '', href);
    render();
    window.scrollTo(0, 0);
  }

  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-link]');
    if (!link || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    navigate(link.getAttribute('href'));
  });
  window.addEventListener('popstate', render);
  render();
})();
