#!/usr/bin/env python3
"""Independent reference counts for the genome tests (tests/genome.rs).

Reads the real files in ../shared/data with Biopython (GenBank, FASTA) and with plain Python
(GFF3, the WholeCellKB gene table, BioXen's .genome columns), and writes
tests/fixtures/genome/biopython.json. The Rust tests compare the parser's summaries with it;
they never run Python, so the test suite does not depend on Biopython.

The gene rule mirrored here is the one documented in src/genome/mod.rs:
  * gene-like features: gene, pseudogene (GFF3) and the products CDS, tRNA, rRNA, ncRNA,
    tmRNA, misc_RNA;
  * a product belongs to the gene with the same locus_tag (GenBank; else the same /gene name,
    else the same span and strand) or to its Parent gene (GFF3); a product with no gene is a
    gene of its own;
  * type: pseudogene if any member is marked pseudo, else protein_coding if it has a CDS,
    else tRNA, rRNA, ncRNA (ncRNA, tmRNA, misc_RNA), else other;
  * coding aa of a protein-coding gene: sum over its CDS of floor(nt / 3) - 1 (stop codon).

Usage: python3 scripts/genome_reference.py [DATA_DIR]   (needs: pip install biopython)
"""
import csv
import gzip
import hashlib
import json
import os
import sys
import time

from Bio import SeqIO

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "tests", "fixtures", "genome", "biopython.json")

PRODUCTS = {"CDS", "tRNA", "rRNA", "ncRNA", "tmRNA", "misc_RNA"}
NCRNA = {"ncRNA", "tmRNA", "misc_RNA"}


def opener(path):
    return gzip.open(path, "rt") if path.endswith(".gz") else open(path)


def gc_of(seq):
    s = str(seq).upper()
    g, c, a, t = s.count("G"), s.count("C"), s.count("A"), s.count("T")
    return (g + c) / (a + c + g + t) if a + c + g + t else None


def gene_type(members):
    if any(m["pseudo"] for m in members):
        return "pseudogene"
    kinds = {m["kind"] for m in members}
    if "CDS" in kinds:
        return "protein_coding"
    if "tRNA" in kinds:
        return "tRNA"
    if "rRNA" in kinds:
        return "rRNA"
    if kinds & NCRNA:
        return "ncRNA"
    return "other"


def digest(genes):
    """sha256 over canonical lines, in order: id, start, end, strand, type, length."""
    h = hashlib.sha256()
    for g in genes:
        h.update(f"{g['id']}\t{g['start']}\t{g['end']}\t{g['strand']}\t{g['type']}\t{g['length']}\n".encode())
    return h.hexdigest()


def finish(groups):
    genes, counts, aa = [], {}, 0
    for grp in groups:
        head = grp["head"]
        t = gene_type(grp["members"])
        counts[t] = counts.get(t, 0) + 1
        if t == "protein_coding":
            aa += sum(max(m["len"] // 3 - 1, 0) for m in grp["members"] if m["kind"] == "CDS")
        genes.append({"id": grp["id"], "start": head["start"], "end": head["end"],
                      "strand": head["strand"], "type": t, "length": head["len"]})
    return genes, counts, aa


def strand_of(s):
    return {1: "+", -1: "-"}.get(s, ".")


def genbank(path):
    records = list(SeqIO.parse(opener(path), "genbank"))
    kinds, groups, translation_aa, length = {}, [], 0, 0
    acgt = gc = 0
    for rec in records:
        length += len(rec.seq)
        try:
            s = str(rec.seq).upper()
            gc += s.count("G") + s.count("C")
            acgt += s.count("G") + s.count("C") + s.count("A") + s.count("T")
        except Exception:  # undefined sequence (annotation only)
            pass
        rec_groups = []
        for f in rec.features:
            kinds[f.type] = kinds.get(f.type, 0) + 1
            if f.type == "CDS" and "translation" in f.qualifiers and "pseudo" not in f.qualifiers:
                translation_aa += len(f.qualifiers["translation"][0])
            if f.type != "gene" and f.type not in PRODUCTS:
                continue
            q = f.qualifiers
            start, end = int(f.location.start) + 1, int(f.location.end)
            m = {"kind": f.type, "pseudo": "pseudo" in q or "pseudogene" in q,
                 "start": start, "end": end, "strand": strand_of(f.location.strand),
                 "len": len(f.location)}
            if "locus_tag" in q:
                key = "tag:" + q["locus_tag"][0]
            elif "gene" in q:
                key = "gene:" + q["gene"][0]
            else:
                key = f"span:{start}:{end}:{m['strand']}"
            m["key"] = key
            gid = q.get("locus_tag", q.get("gene", [f"{f.type}_{start}"]))[0]
            if f.type == "gene":
                rec_groups.append({"key": key, "id": gid, "head": m, "members": [m], "gene": True})
        # products join the first gene with their key whose span overlaps theirs, else the first
        # gene with their key, else form a gene of their own
        for f in rec.features:
            if f.type not in PRODUCTS:
                continue
            q = f.qualifiers
            start, end = int(f.location.start) + 1, int(f.location.end)
            m = {"kind": f.type, "pseudo": "pseudo" in q or "pseudogene" in q,
                 "start": start, "end": end, "strand": strand_of(f.location.strand),
                 "len": len(f.location)}
            if "locus_tag" in q:
                key = "tag:" + q["locus_tag"][0]
            elif "gene" in q:
                key = "gene:" + q["gene"][0]
            else:
                key = f"span:{start}:{end}:{m['strand']}"
            same = [g for g in rec_groups if g["gene"] and g["key"] == key]
            over = [g for g in same if g["head"]["start"] <= end and start <= g["head"]["end"]]
            target = (over or same or [None])[0]
            if target is None:
                gid = q.get("locus_tag", q.get("gene", [f"{f.type}_{start}"]))[0]
                target = {"key": key, "id": gid, "head": m, "members": [], "gene": False}
                rec_groups.append(target)
            target["members"].append(m)
        # file order: genes by the position of their first feature (rec_groups order is genes
        # first, then orphan products); sort orphans into place by start like the parser does
        groups.extend(sorted(rec_groups, key=lambda g: (g["head"]["start"], g["head"]["end"])))
    genes, counts, aa = finish(groups)
    r0 = records[0]
    return {
        "format": "genbank",
        "records": len(records),
        "accession": r0.id,
        "organism": r0.annotations.get("organism"),
        "length": length,
        "topology": sorted({r.annotations.get("topology", "linear") for r in records}),
        "gc": gc / acgt if acgt else None,
        "features": kinds,
        "gene_counts": counts,
        "genes": len(genes),
        "coding_aa": aa,
        "translation_aa": translation_aa,
        "genes_sha256": digest(genes),
        "gene_list": genes if len(genes) <= 600 else None,
    }


def gff3(path):
    kinds, feats, regions, by_id = {}, [], [], {}
    with opener(path) as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("##FASTA"):
                break
            if line.startswith("##sequence-region"):
                p = line.split()
                regions.append((p[1], int(p[3])))
                continue
            if not line or line.startswith("#"):
                continue
            c = line.split("\t")
            attrs = dict(kv.split("=", 1) for kv in c[8].split(";") if "=" in kv)
            kinds[c[2]] = kinds.get(c[2], 0) + 1
            f = {"kind": c[2], "start": int(c[3]), "end": int(c[4]), "strand": c[6] if c[6] in "+-" else ".",
                 "attrs": attrs, "len": int(c[4]) - int(c[3]) + 1}
            fid = attrs.get("ID")
            if fid and fid in by_id and by_id[fid]["kind"] == c[2]:
                # a multi-line feature (one ID on several lines): one feature, parts joined
                g = by_id[fid]
                g["start"], g["end"] = min(g["start"], f["start"]), max(g["end"], f["end"])
                g["len"] += f["len"]
                continue
            if fid:
                by_id[fid] = f
            feats.append(f)
    groups, index = [], {}
    for f in feats:
        a = f["attrs"]
        f["pseudo"] = (f["kind"] == "pseudogene" or a.get("pseudo") == "true"
                       or "pseudo" in a.get("gene_biotype", ""))
        if f["kind"] in ("gene", "pseudogene"):
            gid = a.get("locus_tag") or a.get("Name") or a.get("ID") or f"{f['kind']}_{f['start']}"
            g = {"id": gid, "head": f, "members": [f]}
            groups.append(g)
            if "ID" in a:
                index[a["ID"]] = g
    for f in feats:
        if f["kind"] not in PRODUCTS:
            continue
        # climb Parent links to a gene
        p, seen, target = f["attrs"].get("Parent"), 0, None
        while p and seen < 16:
            p = p.split(",")[0]
            if p in index:
                target = index[p]
                break
            p = by_id.get(p, {}).get("attrs", {}).get("Parent")
            seen += 1
        if target is None:
            a = f["attrs"]
            gid = a.get("locus_tag") or a.get("Name") or a.get("ID") or f"{f['kind']}_{f['start']}"
            target = {"id": gid, "head": f, "members": []}
            groups.append(target)
        target["members"].append(f)
    groups.sort(key=lambda g: (g["head"]["start"], g["head"]["end"]))
    genes, counts, aa = finish(groups)
    return {
        "format": "gff3",
        "length": sum(n for _, n in regions),
        "accession": regions[0][0] if regions else None,
        "features": kinds,
        "gene_counts": counts,
        "genes": len(genes),
        "coding_aa": aa,
        "genes_sha256": digest(genes),
    }


def fasta(path):
    recs = list(SeqIO.parse(opener(path), "fasta"))
    total = sum(len(r.seq) for r in recs)
    s = "".join(str(r.seq) for r in recs)
    out = {"format": "fasta", "records": len(recs), "length": total, "gc": gc_of(s),
           "accession": recs[0].id}
    lens = [(r, r.description.rsplit("len=", 1)) for r in recs]
    declared = [(r, int(p[1].split()[0])) for r, p in lens if len(p) == 2]
    if declared:
        out["declared_len_mismatches"] = sum(1 for r, n in declared if n != len(r.seq))
    return out


def gene_table(path):
    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    types = {}
    for r in rows:
        types[r["type"]] = types.get(r["type"], 0) + 1
    essential = sum(1 for r in rows if r["is_essential"] == "True")
    aa = sum(max(int(r["length_nt"]) // 3 - 1, 0) for r in rows if r["type"] == "mRNA")
    return {"rows": len(rows), "types": types, "essential": essential, "coding_aa": aa,
            "essential_mrna": sum(1 for r in rows if r["type"] == "mRNA" and r["is_essential"] == "True")}


def bioxen_genome(path):
    rows, types, bad_end, offset = 0, {}, 0, 0
    prev = 0
    with open(path) as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            c = line.split()
            start, length, end, t = int(c[0]), int(c[1]), int(c[2]), int(c[4])
            rows += 1
            types[t] = types.get(t, 0) + 1
            if end != start + length - 1:
                bad_end += 1
            if end == start - prev:
                offset += 1
            prev = start
    return {"rows": rows, "types": {str(k): v for k, v in sorted(types.items())},
            "end_mismatches": bad_end, "end_is_offset_from_previous_start": offset}


FILES = {
    "syn3A.gb": genbank,
    "syn3A_CP016816.2.gff3": gff3,
    "syn3A_CP016816.2.fasta": fasta,
    "ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.gbff.gz": genbank,
    "ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.gff.gz": gff3,
    "ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.fna.gz": fasta,
    "mgenitalium_G37_genome_wholecellkb.fna": fasta,
    "mgenitalium_G37_genes_wholecellkb.csv": gene_table,
    "pUC19.gb": genbank,
    "pBAD30.gb": genbank,
    "NC_005816_pPCP1.gb": genbank,
    "NC_000932_Athaliana_chloroplast.gb": genbank,
    "bioxen_syn3A.genome": bioxen_genome,
    "bioxen_syn3A.fasta": fasta,
}


def main():
    if not os.path.isdir(DATA):
        sys.exit(f"data folder {DATA} not found")
    out = {"_about": "Written by scripts/genome_reference.py from ../shared/data (Biopython "
                     + __import__("Bio").__version__ + "); read by tests/genome.rs."}
    for name, fn in FILES.items():
        t0 = time.time()
        out[name] = fn(os.path.join(DATA, name))
        print(f"{name}: {time.time() - t0:.2f}s", file=sys.stderr)
    with open(OUT, "w") as fh:
        json.dump(out, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
