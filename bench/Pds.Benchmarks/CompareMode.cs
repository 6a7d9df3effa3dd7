using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.Ipld;

namespace Pds.Benchmarks;

/// <summary>
/// <c>--compare [--records N] [--iterations K] [--ops-ms MS] [--skip-micro]</c>: measures what
/// bench/reference/repo-bench.mjs measures, the way it measures it (one warm-up iteration, a
/// full GC before each of K timed iterations, median and min in ms; per-second rates from
/// a loop of about two seconds after 200 warm-up calls), and prints one JSON object on stdout
/// with the same field names. Progress goes to stderr.
/// </summary>
public static class CompareMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var n = IntArg(args, "--records", 10_000);
        var iterations = IntArg(args, "--iterations", 5);
        var opsMs = IntArg(args, "--ops-ms", 2000);
        var skipMicro = args.Contains("--skip-micro");
        var loadBefore = LoadAverage();

        var records = BenchData.Records(n);
        using var keypair = BenchData.CreateKeypair();
        var didKey = keypair.PublicKey.ToDidKey();

        Console.Error.WriteLine($"[compare] build_and_write_car: {n} records, 1 warm-up + {iterations} iterations");
        var build = await TimeItAsync(iterations, () => RepoBench.BuildAndWriteCarAsync(records, keypair)).ConfigureAwait(false);
        var car = build.Last.ToArray();

        Console.Error.WriteLine($"[compare] read_and_verify_car: {car.Length} bytes");
        var verify = await TimeItAsync(iterations, async () =>
        {
            // Like verifyRepoCar(car, did, didKey): the key arrives as a did:key string.
            var verified = await RepoBench.ReadAndVerifyCarAsync(car, PublicKey.FromDidKey(didKey)).ConfigureAwait(false);
            return verified.Records.Count == n
                ? verified
                : throw new InvalidOperationException($"verified {verified.Records.Count} records, expected {n}");
        }).ConfigureAwait(false);

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("impl", "Pds.Core");
            json.WriteString("version", Version(typeof(Cid).Assembly));
            json.WriteStartObject("versions");
            json.WriteString("Pds.Core", Version(typeof(Cid).Assembly));
            json.WriteString("dotnet", Environment.Version.ToString());
            json.WriteEndObject();
            json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
            json.WriteString("cpu", $"{Environment.ProcessorCount} x {CpuModel()}");
            json.WriteBoolean("server_gc", System.Runtime.GCSettings.IsServerGC);
            json.WriteBoolean("forced_gc_between_iterations", true);
            json.WriteNumber("records", n);
            json.WriteNumber("iterations", iterations);
            WriteStats(json, "build_and_write_car_ms", build.Stats);
            WriteStats(json, "read_and_verify_car_ms", verify.Stats);
            json.WriteNumber("car_bytes", car.Length);
            json.WriteString("commit_cid", verify.Last.CommitCid.ToString());
            json.WriteString("mst_root", verify.Last.Commit.Data.ToString());
            if (!skipMicro)
            {
                WriteMicro(json, keypair, didKey, opsMs);
            }
            json.WriteStartObject("loadavg_1m");
            json.WriteNumber("before", loadBefore);
            json.WriteNumber("after", LoadAverage());
            json.WriteEndObject();
            json.WriteEndObject();
        }
        Console.Out.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        return 0;
    }

    private static void WriteMicro(Utf8JsonWriter json, Keypair keypair, string didKey, int opsMs)
    {
        Console.Error.WriteLine("[compare] k256 sign/verify, DAG-CBOR post encode/decode (per second)");
        var messages = BenchData.CommitMessages();
        var signatures = Array.ConvertAll(messages, m => keypair.Sign(m));
        json.WriteNumber("k256_sign_per_sec", OpsPerSec(i => keypair.Sign(messages[i & 255]), opsMs));
        // Like @atproto/crypto verifySignature(didKey, ...): the did:key is parsed on every call.
        json.WriteNumber("k256_verify_per_sec", OpsPerSec(i =>
        {
            if (!PublicKey.FromDidKey(didKey).Verify(messages[i & 255], signatures[i & 255]))
            {
                throw new InvalidOperationException("bad signature");
            }
        }, opsMs));
        // The usual PDS path: the key object is kept, so its imported verifier is reused.
        var key = PublicKey.FromDidKey(didKey);
        json.WriteNumber("k256_verify_cached_key_per_sec", OpsPerSec(i =>
        {
            if (!key.Verify(messages[i & 255], signatures[i & 255]))
            {
                throw new InvalidOperationException("bad signature");
            }
        }, opsMs));

        var post = BenchData.SimplePost();
        var postBytes = DagCbor.Encode(post);
        json.WriteNumber("post_cbor_bytes", postBytes.Length);
        json.WriteNumber("dag_cbor_encode_post_per_sec", OpsPerSec(_ => DagCbor.Encode(post), opsMs));
        json.WriteNumber("dag_cbor_decode_post_per_sec", OpsPerSec(_ => DagCbor.Decode(postBytes), opsMs));
        json.WriteNumber("dag_cbor_encode_and_cid_post_per_sec", OpsPerSec(_ => DagCbor.ComputeCid(post), opsMs));
    }

    internal sealed record Timing<T>(Stats Stats, T Last);

    internal sealed record Stats(double Median, double Min, double[] Runs);

    /// <summary>One warm-up call, then <paramref name="iterations"/> timed calls, each after a full GC.</summary>
    internal static async Task<Timing<T>> TimeItAsync<T>(int iterations, Func<Task<T>> fn)
    {
        await fn().ConfigureAwait(false);
        var times = new double[iterations];
        T last = default!;
        for (var i = 0; i < iterations; i++)
        {
            FullGc();
            var start = Stopwatch.GetTimestamp();
            last = await fn().ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return new Timing<T>(Summarize(times), last);
    }

    internal static void FullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    internal static Stats Summarize(double[] times)
    {
        var sorted = times.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Stats(double.NaN, double.NaN, []);
        }
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Stats(Round(median), Round(sorted[0]), Array.ConvertAll(sorted, Round));
    }

    /// <summary>Calls per second over about <paramref name="durationMs"/>, after 200 warm-up calls, in batches of 100.</summary>
    private static long OpsPerSec(Action<int> fn, int durationMs)
    {
        for (var i = 0; i < 200; i++)
        {
            fn(i);
        }
        long count = 0;
        var start = Stopwatch.GetTimestamp();
        double elapsed;
        do
        {
            for (var i = 0; i < 100; i++)
            {
                fn((int)(count & 0xffff) + i);
            }
            count += 100;
            elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        while (elapsed < durationMs);
        return (long)Math.Round(count * 1000.0 / elapsed);
    }

    private static void WriteStats(Utf8JsonWriter json, string name, Stats stats)
    {
        json.WriteStartObject(name);
        json.WriteNumber("median", stats.Median);
        json.WriteNumber("min", stats.Min);
        json.WriteStartArray("runs");
        foreach (var r in stats.Runs)
        {
            json.WriteNumberValue(r);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static double Round(double x) => Math.Round(x * 10) / 10;

    internal static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return fallback;
        }
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            throw new ArgumentException($"{name} needs a positive integer");
        }
        return value;
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The 1-minute load average from /proc/loadavg, or -1 where there is none.</summary>
    private static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() ?? "unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
