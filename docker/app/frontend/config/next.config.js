// Stand-in Next.js configuration of the Netra frontend.
module.exports = { output: 'standalone', poweredByHeader: false };
