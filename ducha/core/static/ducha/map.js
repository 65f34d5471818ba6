// ducha's maps (Leaflet, vendored; no tiles unless an intranet tile server is configured). A map is
//
//   <div data-map="config-id">                  config JSON in #config-id: boundaries URL, lights, tiles
//       data-map-points="url"                   … the placed projects (projects:map_points), clustered
//       data-map-summary="element-id"           … where to write "N placed of M" after loading the points
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

  function points(map, config, url, summary, onPoint) {
    return get(url).then(function (data) {
      var group = L.markerClusterGroup({
        chunkedLoading: true,
        showCoverageOnHover: false,
        maxClusterRadius: 45,
        disableClusteringAtZoom: 15,
        iconCreateFunction: clusterIcon(config),
      });
      var markers = {};
      data.points.forEach(function (point) {
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
        markers[point.id] = marker;
        group.addLayer(marker);
      });
      map.addLayer(group);
      if (summary) {
        var text = summary.dataset.template
          .replace("%(placed)s", data.placed)
          .replace("%(total)s", data.total);
        if (data.truncated) {
          text += " " + summary.dataset.truncated.replace("%(shown)s", data.points.length);
        }
        summary.textContent = text;
      }
      return { markers: markers, group: group, bounds: data.points.length ? group.getBounds() : null };
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
      restyleAll: function () {
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
        Object.assign(plan.markers, placed.markers);
        plan.restyleAll();
      }
      var view = routeBounds || (container.dataset.mapFit === "points" && placed && placed.bounds) || outline || (placed && placed.bounds);
      if (picked) {
        map.setView(picked, 12, { animate: false }); // near enough to place it, far enough to see the outline
      } else if (view) {
        map.fitBounds(view, { padding: [12, 12], maxZoom: 15, animate: false });
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
