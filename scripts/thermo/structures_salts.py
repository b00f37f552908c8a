"""The Li-poor thiophosphates and P-S molecules the SE windows need (issue 16), registered into structures.PHASES.

Without them Li3PS4 can only give off Li by falling apart into P4S10 and S, which puts its oxidation limit 0.3 V
above Zhu, He & Mo's (ACS Appl. Mater. Interfaces 7, 23685 (2015)); their hull holds Li7P3S11 and the P4Sx molecules.

* P4S9 and P4S7 are molecular crystals: the molecules are built from the P4S10 cage of structures.py (P4S9 lacks one
  terminal S; P4S7 has one P-P bond in place of a bridging S and its two P(III) carry no terminal S) and packed one
  per fcc primitive cell at the experimental density, as P4S10 and P4S3 are.
* Li7P3S11 and Li4P2S7 are salts of P2S7 (two PS4 tetrahedra sharing one S) and PS4 anions.  No atomic coordinates
  that could be checked were available offline, so the published space group, cell and anion connectivity are kept
  and the positions are searched: the anions in the asymmetric unit are placed and turned at random (seeded), their
  inversion images added (in the cell expanded to 1.4 x its volume), Li put on sites 2.25-2.75 A from S, every candidate relaxed briefly with CHGNet
  (structures.RELAX_FN) and the lowest kept; the build relaxes that one fully.  The note column says so.
"""

from __future__ import annotations

import math

import numpy as np
import structures as S
from pymatgen.core import Lattice, Structure
from structures import _pack_molecule, add, lat, p4x10_molecule

P_S_TERMINAL, P_S_BRIDGE, P_S_P_DEG = 2.03, 2.12, 108.0  # A, A, degrees (P2S7 unit of Li7P3S11, Yamane et al. 2007)
S_S_MIN, LI_S_RANGE, LI_LI_MIN, LI_P_MIN = 3.0, (2.25, 2.75), 2.6, 3.0  # A: anion-anion contact, Li sites
EXPAND = 1.4  # the packings are searched in the cell at 1.4 x its volume (room to place them); the relaxation shrinks it
JITTER = 0.05  # fractional: how far an anion's centre may move from the one it is given
# Anion centres of a P-1 cell with Z=2: the asymmetric unit's anions and their inversion images spread like fcc sites
CENTRES = ((0.25, 0.25, 0.25), (0.25, 0.75, 0.75))


# --------------------------------------------------------------------------------------------------
# P4S9 and P4S7 molecules (P4S10 cage: P at +-1.21 A, bridges at +-2.41 A, P=S 1.91 A)
# --------------------------------------------------------------------------------------------------
def _p4s9() -> Structure:
    sp, pos = p4x10_molecule("S", 1.21, 2.41, 1.91)
    del sp[1], pos[1]  # the terminal S of the first P
    return _pack_molecule(sp, pos, 10.96)  # 2.08 g/cm3


def _p4s7() -> Structure:
    sp, pos = p4x10_molecule("S", 1.21, 2.41, 1.91)
    pos = [np.array(p, dtype=float) for p in pos]
    for i in (0, 2):  # the two P bridged along +x become a P-P pair of 2.35 A
        pos[i][1:] *= 2.35 / (2 * 1.21 * math.sqrt(2))
    keep = [i for i in range(len(sp)) if i not in (1, 3, 8)]  # their terminal S and the +x bridge go
    return _pack_molecule([sp[i] for i in keep], [pos[i] for i in keep], 10.18)  # 2.19 g/cm3


add("p4s9-mol", _p4s9, "P4S9 molecule (P4S6 adamantane cage with three terminal S; Vos, Olthof, van Bolhuis & Botterweg, "
    "Acta Cryst. 19, 864 (1965)) from the P4S10 geometry of structures.py, packed one per fcc primitive cell at 2.08 g/cm3",
    "molecular-crystal approximant of P4S9 (P4S9 crystals are monoclinic/cubic polymorphs)")
add("p4s7-mol", _p4s7, "P4S7 molecule (C2v: one P-P bond, five bridging S, terminal S on the two P(V); Vos & Wiebenga, "
    "Acta Cryst. 8, 217 (1955)) from the P4S10 geometry of structures.py, packed one per fcc primitive cell at 2.19 g/cm3",
    "molecular-crystal approximant of monoclinic P4S7 (P21/n)")


# --------------------------------------------------------------------------------------------------
# Li thiophosphate salts: anions + Li packed in a published (or analogous) P-1 cell, ranked after a short relaxation
# --------------------------------------------------------------------------------------------------
def _tetrahedral_others(axis: np.ndarray, phase: float) -> list[np.ndarray]:
    """The three tetrahedral directions that, with `axis`, make a regular tetrahedron."""
    axis = axis / np.linalg.norm(axis)
    helper = np.array([1.0, 0, 0]) if abs(axis[0]) < 0.9 else np.array([0, 1.0, 0])
    e1 = np.cross(axis, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(axis, e1)
    return [-axis / 3 + (2 * math.sqrt(2) / 3) * (math.cos(phase + 2 * math.pi * k / 3) * e1
                                                    + math.sin(phase + 2 * math.pi * k / 3) * e2) for k in range(3)]


def tetrahedron(centre: str = "P", ligand: str = "S", bond: float = P_S_TERMINAL) -> tuple[list[str], np.ndarray]:
    """An XY4 tetrahedron centred on X (PS4, PO4)."""
    dirs = [np.array([0, 0, 1.0])] + _tetrahedral_others(np.array([0, 0, 1.0]), 0.0)
    return [centre] + [ligand] * 4, np.array([[0, 0, 0]] + [bond * d for d in dirs])


def pyro(centre: str = "P", ligand: str = "S", terminal: float = P_S_TERMINAL, bridge: float = P_S_BRIDGE,
         angle_deg: float = P_S_P_DEG) -> tuple[list[str], np.ndarray]:
    """Two XY4 tetrahedra sharing the bridging Y (at the origin), terminal Y staggered (P2S7, P2O7)."""
    half = math.radians(angle_deg) / 2
    sp, pos = [ligand], [np.zeros(3)]
    for side in (1, -1):
        p = bridge * np.array([side * math.sin(half), 0, -math.cos(half)])
        sp.append(centre)
        pos.append(p)
        for d in _tetrahedral_others(-p, math.pi / 3 if side > 0 else 0.0):
            sp.append(ligand)
            pos.append(p + terminal * d)
    return sp, np.array(pos)


def triangle(centre: str = "B", ligand: str = "O", bond: float = 1.37) -> tuple[list[str], np.ndarray]:
    """A planar XY3 triangle (BO3)."""
    return [centre] + [ligand] * 3, np.array([[0, 0, 0]] + [[bond * math.cos(2 * math.pi * k / 3),
                                                             bond * math.sin(2 * math.pi * k / 3), 0] for k in range(3)])


def _random_rotation(rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q *= np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def _anion_frame(lattice: Lattice, anions, centres, rng: np.random.Generator, anion_min: float = S_S_MIN
                 ) -> Structure | None:
    """The anions near their centres (fractional, jittered) at random orientations plus their inversion images, or
    None when two touch."""
    species, frac, owner = [], [], []
    for k, ((sp, cart), centre) in enumerate(zip(anions, centres)):
        centre = np.array(centre) + rng.uniform(-JITTER, JITTER, 3)
        atoms = lattice.get_fractional_coords(cart @ _random_rotation(rng).T) + centre
        for sign, tag in ((1, 2 * k), (-1, 2 * k + 1)):
            species += sp
            frac += list(sign * atoms)
            owner += [tag] * len(sp)
    d = lattice.get_all_distances(frac, frac)
    cart = lattice.get_cartesian_coords(frac)
    own_bond = np.linalg.norm(cart[:, None] - cart[None, :], axis=-1)  # within one anion, unwrapped
    owner = np.array(owner)
    same = (owner[:, None] == owner[None, :]) & (np.abs(d - own_bond) < 1e-6)
    if (d[~same] < anion_min).any():  # another anion, or this one's periodic image
        return None
    return Structure(lattice, species, np.array(frac) % 1.0)


def _add_lithium(frame: Structure, n_li: int, rng: np.random.Generator, grid: float = 0.45, anion: str = "S",
                 li_anion: tuple[float, float] = LI_S_RANGE, li_li: float = LI_LI_MIN, li_cation: float = LI_P_MIN
                 ) -> Structure | None:
    """n_li Li in the asymmetric unit (and their inversion images) on grid points li_anion A from the anion and at
    least li_cation A from the anion's central atom, li_li A apart: where Li sits in a thiophosphate (or an oxysalt)."""
    lattice = frame.lattice
    n = [max(2, int(round(length / grid))) for length in lattice.abc]
    points = np.array(np.meshgrid(*[np.arange(k) / k for k in n], indexing="ij")).reshape(3, -1).T
    ligand = [i for i, sp in enumerate(frame.species) if sp.symbol == anion]
    centre = [i for i, sp in enumerate(frame.species) if sp.symbol != anion]
    d_s = lattice.get_all_distances(points, frame.frac_coords[ligand]).min(axis=1)
    d_p = lattice.get_all_distances(points, frame.frac_coords[centre]).min(axis=1)
    ok = points[(d_s >= li_anion[0]) & (d_s <= li_anion[1]) & (d_p >= li_cation)]
    chosen: list[np.ndarray] = []
    for i in rng.permutation(len(ok)):
        trial = np.array([ok[i], -ok[i]])
        if lattice.get_all_distances(trial[:1], trial[1:])[0, 0] < li_li:
            continue
        if chosen and lattice.get_all_distances(trial, np.array(chosen)).min() < li_li:
            continue
        chosen += list(trial)
        if len(chosen) == 2 * n_li:
            break
    if len(chosen) < 2 * n_li:
        return None
    s = frame.copy()
    for f in chosen:
        s.append("Li", f % 1.0)
    return s


OXIDE = {"anion_min": 2.6, "anion": "O", "li_anion": (1.85, 2.25), "li_li": 2.4, "li_cation": 2.5}


def salt(lattice: Lattice, anions, n_li: int, seed: int, n_candidates: int = 4, steps: int = 100,
         contacts: dict | None = None) -> Structure:
    """A centrosymmetric (P-1) packing of `anions` (centred on CENTRES) and 2*n_li Li in `lattice`: seeded candidates,
    each relaxed for at most `steps` steps with structures.RELAX_FN, the lowest energy kept (the first without it).
    `contacts` (OXIDE for oxysalts) replaces the thiophosphate distances."""
    contacts = dict(contacts or {})
    anion_min = contacts.pop("anion_min", S_S_MIN)
    rng = np.random.default_rng(seed)
    lattice = lattice.scale(lattice.volume * EXPAND)
    cands: list[Structure] = []
    for _ in range(20000):
        frame = _anion_frame(lattice, anions, CENTRES[:len(anions)], rng, anion_min)
        s = _add_lithium(frame, n_li, rng, **contacts) if frame is not None else None
        if s is not None:
            cands.append(s)
            if len(cands) == n_candidates:
                break
    if not cands:
        raise ValueError("no packing of the anions and Li found")
    if S.RELAX_FN is None:
        return cands[0]
    relaxed = [S.RELAX_FN(c, steps) for c in cands]
    return min(relaxed, key=lambda r: r[1])[0]


def _li7p3s11() -> Structure:
    cell = lat(12.50, 6.03, 12.53, 102.85, 113.20, 74.47)
    return salt(cell, [pyro(), tetrahedron()], 7, S.SEED)


def _li4p2s7() -> Structure:
    cell = lat(7.0, 8.0, 9.8, 95.0, 95.0, 95.0)
    cell = cell.scale(19.7 * 26)  # the atomic volume of Li7P3S11, 26 atoms
    return salt(cell, [pyro()], 4, S.SEED)


add("li7p3s11-search", _li7p3s11,
    "Li7P3S11 P-1, Z=2 (Yamane, Shibata, Shimane et al., Solid State Ionics 178, 1163 (2007): a=12.50, b=6.03, "
    "c=12.53 A, alpha=102.85, beta=113.20, gamma=74.47 deg; one P2S7 and one PS4 anion and 7 Li per asymmetric unit)",
    "published cell, space group and anions; positions searched (4 seeded packings with their inversion images, "
    "each relaxed 100 CHGNet steps, lowest kept), not the published coordinates")
add("li4p2s7-search", _li4p2s7,
    "Li4P2S7 (P2S7 anions, as in Li7P3S11 and the 70Li2S-30P2S5 glass-ceramics; no refined crystal structure): P-1, "
    "Z=2 cell at the atomic volume of Li7P3S11 (Yamane et al. 2007)",
    "hypothetical ordered packing: positions searched as li7p3s11-search; stands in for the glassy Li4P2S7")


# --------------------------------------------------------------------------------------------------
# oxysalts a coating reaction needs: Li3BO3 (Li3BO3 coatings) and Li4P2O7 (between Li3PO4 and LiPO3)
# --------------------------------------------------------------------------------------------------
def _li3bo3() -> Structure:
    return salt(lat(4.9, 5.1, 5.3, 95.0, 95.0, 95.0).scale(8.7 * 14), [triangle()], 3, S.SEED, contacts=OXIDE)


def _li4p2o7() -> Structure:
    anion = pyro("P", "O", 1.51, 1.61, 130.0)
    return salt(lat(5.2, 7.1, 8.6, 111.4, 90.0, 103.1).scale(11.0 * 26), [anion], 4, S.SEED, contacts=OXIDE)


add("li3bo3-search", _li3bo3,
    "Li3BO3 (isolated BO3 triangles; P21/c, Z=4, Stewner, Acta Cryst. B27, 904 (1971)), here a P-1, Z=2 cell at its "
    "atomic volume (8.7 A3/atom)", "hypothetical ordered packing of BO3 and Li, positions searched as li7p3s11-search")
add("li4p2o7-search", _li4p2o7,
    "Li4P2O7 P-1, Z=2 (P2O7 anions, P-O-P 130 deg; Daidouh, Veiga, Pico & Martinez-Ripoll, Acta Cryst. C53, 167 "
    "(1997)): a P-1 cell of that shape at 11 A3/atom",
    "positions searched as li7p3s11-search (4 seeded packings relaxed 100 CHGNet steps), not the published coordinates")
