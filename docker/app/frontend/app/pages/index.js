// Stand-in for the Netra frontend pages (the container runs /app/bin/netra-service).
export default function Home() { return null; }
