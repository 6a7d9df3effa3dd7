using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pds.Core.Car;
using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Repo;

namespace Pds.Benchmarks;

/// <summary>
/// <c>--profile [--records N] [--iterations K]</c>: where the two headline operations spend
/// their time. Each operation is redone step by step with the same public calls RepoBuilder,
/// RepoExport and RepoVerifier make, with a Stopwatch around every step; lines marked "(part)"
/// time a piece of the step above them again on its own and are not added to the total.
/// Prints a text table (median ms over K iterations after one warm-up, a full GC before each).
/// </summary>
public static class ProfileMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var n = CompareMode.IntArg(args, "--records", 10_000);
        var iterations = CompareMode.IntArg(args, "--iterations", 5);
        var records = BenchData.Records(n);
        using var keypair = BenchData.CreateKeypair();
        var didKey = keypair.PublicKey.ToDidKey();

        var build = new Sections();
        byte[] car = [];
        for (var i = 0; i <= iterations; i++)
        {
            build.Warm = i == 0;
            car = await ProfileBuildAsync(records, keypair, build).ConfigureAwait(false);
        }
        var verify = new Sections();
        for (var i = 0; i <= iterations; i++)
        {
            verify.Warm = i == 0;
            await ProfileVerifyAsync(car, didKey, n, verify).ConfigureAwait(false);
        }

        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"records: {n}, iterations: {iterations} (+1 warm-up), CAR: {car.Length} bytes");
        build.Print(output, "build_and_write_car");
        verify.Print(output, "read_and_verify_car");
        Console.Out.Write(output.ToString());
        return 0;
    }

    private static async Task<byte[]> ProfileBuildAsync((string Path, Pds.Core.DataModel.DataMap Record)[] records, Keypair signer, Sections s)
    {
        CompareMode.FullGc();
        var total = Stopwatch.GetTimestamp();

        var t = Stopwatch.GetTimestamp();
        var writer = new DagCborWriter();
        var encoded = new byte[records.Length][];
        for (var i = 0; i < records.Length; i++)
        {
            writer.Reset();
            DagCbor.Write(writer, records[i].Record);
            encoded[i] = writer.ToArray();
        }
        s.Add("records: DAG-CBOR encode", t);

        t = Stopwatch.GetTimestamp();
        var blocks = new MemoryBlockStore();
        var cids = new Cid[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            cids[i] = blocks.PutDagCbor(encoded[i]);
        }
        s.Add("records: SHA-256 CID + block store put", t);

        t = Stopwatch.GetTimestamp();
        var leaves = new List<KeyValuePair<byte[], Cid>>(records.Length);
        for (var i = 0; i < records.Length; i++)
        {
            leaves.Add(new(Encoding.UTF8.GetBytes(records[i].Path), cids[i]));
        }
        s.Add("mst: key strings to UTF-8", t);

        t = Stopwatch.GetTimestamp();
        var tree = MstBuilder.Build(leaves, blocks);
        s.Add("mst: MstBuilder.Build (sort, key heights)", t);

        t = Stopwatch.GetTimestamp();
        var root = tree.Commit(blocks.Put);
        s.Add("mst: Commit (encode + hash + put nodes)", t);

        t = Stopwatch.GetTimestamp();
        var commit = await RepoCommit.SignAsync(BenchData.Did, root, BenchData.Rev, signer).ConfigureAwait(false);
        var commitCid = blocks.PutDagCbor(commit.Encode());
        s.Add("commit: sign + encode", t);

        t = Stopwatch.GetTimestamp();
        var output = new MemoryStream();
        await RepoExport.WriteCarAsync(output, blocks, new RepoHead(commitCid, commit)).ConfigureAwait(false);
        s.Add("car: RepoExport.WriteCarAsync", t);
        s.Add("TOTAL", total);

        // Parts of WriteCarAsync, timed again on their own.
        t = Stopwatch.GetTimestamp();
        var loaded = await Mst.LoadAsync(blocks, root).ConfigureAwait(false);
        var nodes = 0;
        await foreach (var node in loaded.WalkNodesAsync().ConfigureAwait(false))
        {
            nodes += node.Leaves.Count >= 0 ? 1 : 0;
        }
        s.Add("(part) car: reload + decode every MST node from the store", t, part: true);

        t = Stopwatch.GetTimestamp();
        var sink = new MemoryStream();
        await using (var carWriter = await CarWriter.CreateAsync(sink, [commitCid]).ConfigureAwait(false))
        {
            foreach (var (cid, data) in blocks.Blocks)
            {
                await carWriter.WriteBlockAsync(cid, data).ConfigureAwait(false);
            }
        }
        s.Add("(part) car: CarWriter over all blocks, no tree walk", t, part: true);
        return output.ToArray();
    }

    private static async Task ProfileVerifyAsync(byte[] carBytes, string didKey, int n, Sections s)
    {
        CompareMode.FullGc();
        var total = Stopwatch.GetTimestamp();

        var t = Stopwatch.GetTimestamp();
        var key = PublicKey.FromDidKey(didKey);
        s.Add("key: did:key parse (point decompression)", t);

        t = Stopwatch.GetTimestamp();
        var car = CarReader.Read(carBytes);
        s.Add("car: CarReader.Read (hash every block)", t);

        t = Stopwatch.GetTimestamp();
        car.TryGetBlock(car.Roots[0], out var commitBytes);
        var commit = RepoCommit.Decode(commitBytes.Span);
        s.Add("commit: decode", t);

        t = Stopwatch.GetTimestamp();
        if (!commit.VerifySignature(key))
        {
            throw new InvalidOperationException("bad signature");
        }
        s.Add("commit: verify signature (incl. key import)", t);

        t = Stopwatch.GetTimestamp();
        var records = await RepoVerifier.VerifyTreeAsync(new CarBlockReader(car), commit.Data).ConfigureAwait(false);
        if (records.Count != n)
        {
            throw new InvalidOperationException($"verified {records.Count} records, expected {n}");
        }
        s.Add("tree: RepoVerifier.VerifyTreeAsync", t);
        s.Add("TOTAL", total);

        // Parts, timed again on their own.
        t = Stopwatch.GetTimestamp();
        CarReader.Read(carBytes, new CarReaderOptions { VerifyBlockHashes = false });
        s.Add("(part) car: CarReader.Read without hashing", t, part: true);

        t = Stopwatch.GetTimestamp();
        var tree = await Mst.LoadAsync(new CarBlockReader(car), commit.Data).ConfigureAwait(false);
        var leaves = new List<MstLeaf>(n);
        await foreach (var leaf in tree.WalkAsync().ConfigureAwait(false))
        {
            leaves.Add(leaf);
        }
        s.Add("(part) tree: load + decode nodes + walk leaves", t, part: true);

        t = Stopwatch.GetTimestamp();
        foreach (var leaf in leaves)
        {
            if (!RepoPath.TryParse(leaf.Key, out _, out _))
            {
                throw new InvalidOperationException("bad key");
            }
        }
        s.Add("(part) tree: leaf.Key + RepoPath.TryParse per key", t, part: true);

        t = Stopwatch.GetTimestamp();
        foreach (var leaf in leaves)
        {
            car.TryGetBlock(leaf.Value, out var record);
            DagCbor.Decode(record.Span);
        }
        s.Add("(part) tree: fetch + decode every record", t, part: true);

        t = Stopwatch.GetTimestamp();
        foreach (var leaf in leaves)
        {
            MstKey.Height(leaf.KeyBytes);
        }
        s.Add("(part) tree: SHA-256 of every key (layer check)", t, part: true);
    }

    /// <summary>Named timings in first-seen order; the warm-up pass is recorded but not kept.</summary>
    private sealed class Sections
    {
        private readonly List<string> _order = [];
        private readonly Dictionary<string, List<double>> _times = [];
        private readonly HashSet<string> _parts = [];

        public bool Warm { get; set; }

        public void Add(string name, long startTimestamp, bool part = false)
        {
            var ms = Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
            if (!_times.TryGetValue(name, out var list))
            {
                _order.Add(name);
                _times[name] = list = [];
            }
            if (part)
            {
                _parts.Add(name);
            }
            if (!Warm)
            {
                list.Add(ms);
            }
        }

        public void Print(StringBuilder output, string title)
        {
            var total = CompareMode.Summarize([.. _times["TOTAL"]]).Median;
            output.AppendLine();
            output.AppendLine(CultureInfo.InvariantCulture, $"{title}: median {total:F1} ms");
            foreach (var name in _order.Where(k => k != "TOTAL"))
            {
                var median = CompareMode.Summarize([.. _times[name]]).Median;
                var share = _parts.Contains(name) ? "" : $"{100 * median / total,5:F1}%";
                output.AppendLine(CultureInfo.InvariantCulture, $"  {name,-58} {median,8:F1} ms  {share}");
            }
        }
    }
}
