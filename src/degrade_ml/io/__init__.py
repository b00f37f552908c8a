"""The edges where typed values meet files and text: atomic writes, CSV input and escaping, spilling ranked
rows to disk, the `;`-joined strings of SPEC §4 and strict JSON."""
