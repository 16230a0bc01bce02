// boot.js: load the playground, and say what to do when a built file is missing
// (a static import failure would otherwise leave the page at "Loading…").
import("./app.js").catch((e) => {
  const loading = document.getElementById("loading");
  if (loading) loading.hidden = true;
  const f = document.getElementById("fatal");
  if (!f) return;
  f.textContent = `The playground could not start: ${e && e.message ? e.message : e}. ` +
    "Build the package and the vendor files first (scripts/build-pkg.sh, scripts/build-www.sh), then serve with scripts/serve.sh.";
  f.hidden = false;
});
