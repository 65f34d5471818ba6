// ducha's maps (Leaflet, vendored; no tiles unless an intranet tile server is configured). A map is
//
//   <div data-map="config-id">                  config JSON in #config-id: boundaries URL, lights, tiles
//       data-map-points="url"                   … the placed projects (projects:map_points), clustered
//       data-map-summary="element-id"           … where to write "N placed of M" after loading the points (the
//                                                  texts in its data-template, -total, -truncated, -largest,
//                                                  -in-view and -more)
//       data-map-pick="lon-id lat-id crs-id"    … a project form: a click sets the WGS-84 point
//       data-map-plan="list-id"                 … the round planner: a click picks or drops a project,
//                                                  kept as checkboxes name="projects" in #list-id
//       data-map-route="route-id"               … a planned route: JSON [[lat, lon, label], …] in #route-id
//
// Everything is drawn from JSON the app serves; nothing is fetched from anywhere else.
(function () {
  "use strict";

  var HOME = [31.7, 119.5]; // until the boundaries or the points say where to look

  function json(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      }
    );
  }

  function colour(config, light) {
    return (config.lights[light] || {}).colour || "#6c757d";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // A project's card: its name linking to its page, unit, stage and light (text only, never HTML).
  function card(config, point) {
    var box = element("div", "ducha-map-card");
    var link = element("a", "fw-semibold", point.name);
    link.href = config.project.replace("/0/", "/" + point.id + "/");
    box.appendChild(link);
    box.appendChild(element("div", "small text-muted", point.unit + " · " + point.stage));
    var light = element("div", "small");
    var dot = element("span", "ducha-map-dot");
    dot.style.background = colour(config, point.light);
    light.appendChild(dot);
    light.appendChild(document.createTextNode(" " + ((config.lights[point.light] || {}).label || "")));
    box.appendChild(light);
    return box;
  }

  // A cluster shows how many projects it holds, ringed by the shares of its red, yellow and green ones.
  function clusterIcon(config) {
    return function (cluster) {
      var counts = { red: 0, yellow: 0, green: 0 };
      cluster.getAllChildMarkers().forEach(function (marker) {
        counts[marker.options.light] = (counts[marker.options.light] || 0) + 1;
      });
      var count = cluster.getChildCount();
      var stops = [];
      var from = 0;
      ["red", "yellow", "green"].forEach(function (light) {
        var to = from + (100 * counts[light]) / count;
        stops.push(colour(config, light) + " " + from + "% " + to + "%");
        from = to;
      });
      var size = count < 10 ? 30 : count < 100 ? 36 : 44;
      var html = element("div", "ducha-cluster");
      html.style.background = "conic-gradient(" + stops.join(", ") + ")";
      html.appendChild(element("span", "", String(count)));
      return L.divIcon({ html: html, className: "ducha-cluster-icon", iconSize: L.point(size, size) });
    };
  }

  function pointStyle(config, point, picked) {
    return {
      radius: picked ? 10 : 7,
      color: picked ? "#0b3d91" : "#ffffff",
      weight: picked ? 3 : 1.5,
      fillColor: colour(config, point.light),
      fillOpacity: 0.95,
      className: "ducha-point ducha-point-" + point.light,
      light: point.light,
    };
  }

  function boundaries(map, config) {
    if (!config.boundaries) {
      return Promise.resolve(null);
    }
    return get(config.boundaries)
      .then(function (collection) {
        if (!collection.features || !collection.features.length) {
          return null;
        }
        var layer = L.geoJSON(collection, {
          interactive: false,
          pane: "boundaries",
          style: function (feature) {
            return feature.properties.role === "self"
              ? { color: "#1f4e79", weight: 2.5, fillColor: "#f3f6fa", fillOpacity: config.tiles ? 0 : 1 }
              : { color: "#7d95b1", weight: 1, dashArray: "4 3", fillOpacity: 0 };
          },
          onEachFeature: function (feature, layer) {
            if (feature.properties.role === "child") {
              layer.bindTooltip(feature.properties.name, {
                permanent: true,
                direction: "center",
                className: "ducha-map-label",
              });
            }
          },
        }).addTo(map);
        return layer.getBounds();
      })
      .catch(function () {
        return null;
      });
  }

  // "600+": a count the server stopped at (it counts up to twice the points it sends).
  function counted(summary, data, n) {
    return n > data.counted_up_to ? summary.dataset.more.replace("%(count)s", data.counted_up_to) : String(n);
  }

  // The summary under the map: the filters' projects and how many are placed (from the first answer, which has
  // no box), then, when not all of them are drawn, how many are in view and that zooming in shows more.
  function describe(summary, data, whole) {
    var text;
    if (whole.placed === null) {
      text = summary.dataset.total.replace("%(total)s", counted(summary, whole, whole.total));
    } else {
      text = summary.dataset.template
        .replace("%(placed)s", counted(summary, whole, whole.placed))
        .replace("%(total)s", counted(summary, whole, whole.total));
    }
    var shown = String(data.points.length);
    if (data.truncated && data.in_view !== null) {
      text += " " + summary.dataset.truncated
        .replace("%(shown)s", shown)
        .replace("%(count)s", counted(summary, data, data.in_view));
    } else if (data.truncated) {
      text += " " + summary.dataset.largest.replace("%(shown)s", shown);
    } else if (data !== whole) {
      text += " " + summary.dataset.inView.replace("%(count)s", counted(summary, data, data.in_view));
    }
    summary.textContent = text;
  }

  // The projects on the map, clustered: the server sends the filters' largest DUCHA_MAP_MAX_POINTS. When there
  // are more, the map asks again for the largest in its view (?bbox=) each time it is moved or zoomed.
  function points(map, config, url, summary, onPoint) {
    var group = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      disableClusteringAtZoom: 15,
      iconCreateFunction: clusterIcon(config),
    });
    map.addLayer(group);
    var layer = { markers: {}, group: group, bounds: null, truncated: false };
    var whole = null; // the first answer: the counts of the whole selection
    var asked = 0;

    function draw(data) {
      group.clearLayers();
      layer.markers = {};
      var markers = data.points.map(function (point) {
        var marker = L.circleMarker([point.lat, point.lon], pointStyle(config, point, false));
        marker.point = point;
        if (onPoint) {
          marker.on("click", function () {
            onPoint(marker);
          });
        } else {
          marker.bindPopup(function () {
            return card(config, point);
          });
        }
        layer.markers[point.id] = marker;
        return marker;
      });
      group.addLayers(markers);
    }

    function load(bounds) {
      var ask = (asked += 1);
      var query = [];
      if (summary) {
        query.push("counted=1");
      }
      if (bounds) {
        query.push("bbox=" + bounds.toBBoxString());
      }
      var sep = url.indexOf("?") < 0 ? "?" : "&";
      return get(query.length ? url + sep + query.join("&") : url).then(function (data) {
        if (ask !== asked) {
          return null; // the map moved again meanwhile: a later answer draws
        }
        whole = whole || data;
        draw(data);
        if (summary) {
          describe(summary, data, whole);
        }
        return data;
      });
    }

    // From now on, each view gets its own largest points; `onDrawn(markers)` after each.
    layer.followView = function (onDrawn) {
      var timer = null;
      // Debounced: a drag or a zoom with the wheel moves the map many times.
      map.on("moveend", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          load(map.getBounds())
            .then(function (data) {
              if (data && onDrawn) {
                onDrawn(layer.markers);
              }
            })
            .catch(function () {
              return null; // the points of the last view stay
            });
        }, 300);
      });
    };

    return load(null).then(function (data) {
      layer.truncated = data.truncated;
      layer.bounds = data.points.length ? group.getBounds() : null;
      return layer;
    });
  }

  // The project form: a click on the map puts a WGS-84 point into the longitude and latitude fields.
  function picker(map, ids) {
    var lon = document.getElementById(ids[0]);
    var lat = document.getElementById(ids[1]);
    var crs = document.getElementById(ids[2]);
    var marker = null;
    function show() {
      var x = parseFloat(lon.value);
      var y = parseFloat(lat.value);
      if (isNaN(x) || isNaN(y) || (crs && crs.value !== "wgs84")) {
        return null;
      }
      if (marker) {
        marker.setLatLng([y, x]);
      } else {
        marker = L.circleMarker([y, x], { radius: 9, color: "#0b3d91", weight: 3, fillColor: "#0d6efd", fillOpacity: 0.9 }).addTo(map);
      }
      return marker.getLatLng();
    }
    map.on("click", function (event) {
      lon.value = event.latlng.lng.toFixed(6);
      lat.value = event.latlng.lat.toFixed(6);
      if (crs) {
        crs.value = "wgs84";
      }
      show();
    });
    [lon, lat, crs].forEach(function (input) {
      if (input) {
        input.addEventListener("change", show);
      }
    });
    return show();
  }

  // The round planner: a click picks or drops a project; the picked ones are checkboxes in the form.
  function planner(config, list) {
    var markers = {};
    function checkbox(id) {
      return list.querySelector('input[name="projects"][value="' + id + '"]');
    }
    function restyle(id) {
      var marker = markers[id];
      var box = checkbox(id);
      if (marker) {
        marker.setStyle(pointStyle(config, marker.point, box && box.checked));
      }
    }
    list.addEventListener("change", function (event) {
      if (event.target.name === "projects") {
        restyle(event.target.value);
      }
    });
    return {
      markers: markers,
      click: function (marker) {
        var id = String(marker.point.id);
        var box = checkbox(id);
        if (!box) {
          var row = element("label", "form-check ducha-picked");
          box = element("input", "form-check-input");
          box.type = "checkbox";
          box.name = "projects";
          box.value = id;
          row.appendChild(box);
          row.appendChild(element("span", "form-check-label", marker.point.name + "（" + marker.point.unit + "）"));
          list.querySelector("[data-picked]").appendChild(row);
        }
        box.checked = !box.checked;
        restyle(id);
      },
      // The points drawn now (after each answer): picked ones stand out.
      show: function (drawn) {
        Object.keys(markers).forEach(function (id) {
          delete markers[id];
        });
        Object.assign(markers, drawn);
        Object.keys(markers).forEach(restyle);
      },
    };
  }

  function route(map, stops) {
    var line = stops.map(function (stop) {
      return [stop[0], stop[1]];
    });
    L.polyline(line, { color: "#0b3d91", weight: 3, opacity: 0.8 }).addTo(map);
    stops.forEach(function (stop, index) {
      L.marker([stop[0], stop[1]], {
        icon: L.divIcon({ className: "ducha-route-stop", html: String(index + 1), iconSize: L.point(24, 24) }),
        title: stop[2],
        keyboard: false,
      }).addTo(map);
    });
    return line.length ? L.latLngBounds(line) : null;
  }

  function draw(container) {
    var config = json(container.dataset.map);
    var map = L.map(container, {
      zoomSnap: 0.5,
      minZoom: 5,
      maxZoom: 18, // with no tile layer to say so, clustering needs the map's own
      attributionControl: Boolean(config.tiles),
    });
    container.duchaMap = map; // for the browser tests
    // The outlines lie under every point and route, whichever arrives first (overlayPane is at 400).
    map.createPane("boundaries").style.zIndex = 350;
    map.setView(HOME, 9);
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
    } else {
      container.classList.add("ducha-map-plain");
    }
    var plan = container.dataset.mapPlan ? planner(config, document.getElementById(container.dataset.mapPlan)) : null;
    var picked = container.dataset.mapPick ? picker(map, container.dataset.mapPick.split(" ")) : null;
    var routeBounds = container.dataset.mapRoute ? route(map, json(container.dataset.mapRoute) || []) : null;
    var summary = container.dataset.mapSummary ? document.getElementById(container.dataset.mapSummary) : null;
    var loaded = container.dataset.mapPoints
      ? points(map, config, container.dataset.mapPoints, summary, plan ? plan.click : null)
      : Promise.resolve(null);
    Promise.all([boundaries(map, config), loaded]).then(function (results) {
      var outline = results[0];
      var placed = results[1];
      if (plan && placed) {
        plan.show(placed.markers);
      }
      var view = routeBounds || (container.dataset.mapFit === "points" && placed && placed.bounds) || outline || (placed && placed.bounds);
      if (picked) {
        map.setView(picked, 12, { animate: false }); // near enough to place it, far enough to see the outline
      } else if (view) {
        map.fitBounds(view, { padding: [12, 12], maxZoom: 15, animate: false });
      }
      if (placed && placed.truncated) {
        // More projects than one answer holds: the largest in view are asked for whenever the view changes, and
        // at once for the first view (the first answer held the largest of the whole selection, most of them
        // outside a district's outline); data-map-loaded counts those answers drawn.
        placed.followView(function (markers) {
          if (plan) {
            plan.show(markers);
          }
          container.dataset.mapLoaded = String(Number(container.dataset.mapLoaded || 0) + 1);
        });
        map.fire("moveend");
      }
      container.dataset.mapReady = "1";
    });
    return map;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) {
      return;
    }
    document.querySelectorAll("[data-map]").forEach(draw);
  });
})();
