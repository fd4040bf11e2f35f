/** The studio's page: a navigation bar and one view per hash route. */
import { lazy, StrictMode, Suspense, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { GalleryPage } from "./pages/Gallery.tsx";
import { PlaygroundPage } from "./pages/Playground.tsx";
import { readRoute } from "./router.ts";
import "./styles.css";

// The builder and the inspector bring the graph and the editor: loaded when first opened.
const BuilderPage = lazy(() => import("./pages/Builder.tsx"));
const InspectPage = lazy(() => import("./pages/Inspect.tsx"));

const VIEWS = [
  ["gallery", "Gallery"],
  ["builder", "Builder"],
  ["playground", "Playground"],
] as const;

function App() {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const on = () => setRoute(readRoute());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return (
    <>
      <header className="top">
        <span className="brand">autogen-ts Studio</span>
        <nav aria-label="Main">
          {VIEWS.map(([view, name]) => (
            <a key={view} href={`#/${view}`} aria-current={route.view === view ? "page" : undefined}>
              {name}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <Suspense fallback={<p>Loading…</p>}>
          {route.view === "builder" ? (
            <BuilderPage route={route} />
          ) : route.view === "playground" ? (
            <PlaygroundPage route={route} />
          ) : route.view === "inspect" ? (
            <InspectPage route={route} />
          ) : (
            <GalleryPage />
          )}
        </Suspense>
      </main>
    </>
  );
}

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
