// Types of `@colloquy/element/embed.js`, the single-file drop-in built by Vite: importing it
// registers the elements with the REST adapter wired in, and it exports nothing.
export {};
