using System.Net.WebSockets;
using Pds.Core.Car;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Repo;
using Pds.Core.Sequencer;

namespace Pds.Functions.Tests.Server;

/// <summary>One decoded subscribeRepos frame, with the raw bytes for byte-for-byte comparisons.</summary>
public sealed record Frame(int Op, string? Type, DataMap Body, byte[] Bytes)
{
    public long Seq => ((DataInteger)Body["seq"]!).Value;

    /// <summary>The DID the event is about (#commit names it repo, the others did).</summary>
    public string? Did => ((Body["repo"] ?? Body["did"]) as DataString)?.Value;

    public string Str(string name) => ((DataString)Body[name]!).Value;

    public static Frame Decode(byte[] bytes)
    {
        var (op, type, body) = FrameCodec.Decode(bytes);
        return new Frame(op, type, body, bytes);
    }
}

/// <summary>A real WebSocket subscription to com.atproto.sync.subscribeRepos.</summary>
public sealed class FirehoseClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly ClientWebSocket _socket = new();

    private FirehoseClient()
    {
    }

    public WebSocketState State => _socket.State;

    public static async Task<FirehoseClient> ConnectAsync(Uri baseUrl, long? cursor)
    {
        var client = new FirehoseClient();
        var url = new Uri($"ws://{baseUrl.Authority}/xrpc/com.atproto.sync.subscribeRepos" + (cursor is null ? "" : $"?cursor={cursor}"));
        await client._socket.ConnectAsync(url, CancellationToken.None);
        return client;
    }

    public async Task<Frame> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"firehose closed: {result.CloseStatus} {result.CloseStatusDescription}");
            }
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Frame.Decode(buffer.ToArray());
            }
        }
    }

    /// <summary>The next frame about <paramref name="did"/> (of <paramref name="type"/> when given), skipping others.</summary>
    public async Task<Frame> NextForAsync(string did, string? type = null)
    {
        while (true)
        {
            var frame = await NextAsync();
            if (frame.Did == did && (type is null || frame.Type == type))
            {
                return frame;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> frames about <paramref name="did"/>.</summary>
    public async Task<List<Frame>> TakeForAsync(string did, int count)
    {
        var frames = new List<Frame>();
        while (frames.Count < count)
        {
            frames.Add(await NextForAsync(did));
        }
        return frames;
    }

    /// <summary>True when no frame arrives within <paramref name="wait"/>.</summary>
    public async Task<Frame?> TryNextAsync(TimeSpan wait)
    {
        try
        {
            return await NextAsync(wait);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>Checks a #commit frame with Pds.Core alone, as a relay would.</summary>
public static class CommitFrames
{
    public sealed record Op(string Action, string Path, Cid? Cid, Cid? Prev);

    public static IReadOnlyList<Op> Ops(Frame frame) =>
        ((DataArray)frame.Body["ops"]!).Items.Cast<DataMap>().Select(m => new Op(
            ((DataString)m["action"]!).Value,
            ((DataString)m["path"]!).Value,
            (m["cid"] as DataLink)?.Cid,
            (m["prev"] as DataLink)?.Cid)).ToList();

    public static CarFile Blocks(Frame frame) => CarReader.Read(((DataBytes)frame.Body["blocks"]!).Value);

    public static Cid CommitCid(Frame frame) => ((DataLink)frame.Body["commit"]!).Cid;

    public static Cid? PrevData(Frame frame) => (frame.Body["prevData"] as DataLink)?.Cid;

    public static RepoCommit Commit(Frame frame)
    {
        var car = Blocks(frame);
        Assert.Equal([CommitCid(frame)], car.Roots);
        Assert.True(car.TryGetBlock(CommitCid(frame), out var bytes), "the commit block is missing from the frame");
        return RepoCommit.Decode(bytes.Span);
    }

    /// <summary>
    /// The frame verifies: its commit is signed by <paramref name="key"/>, and undoing its ops
    /// over its own blocks (and nothing else) gives back prevData.
    /// </summary>
    public static async Task VerifyAsync(Frame frame, Pds.Core.Crypto.PublicKey key)
    {
        Assert.Equal("#commit", frame.Type);
        var commit = Commit(frame);
        Assert.True(commit.VerifySignature(key), "commit signature does not verify with the DID document key");
        Assert.Equal(frame.Str("rev"), commit.Rev);
        var prevData = PrevData(frame) ?? throw new InvalidOperationException("#commit without prevData");
        var ops = Ops(frame).Select(o => new MstOperation(o.Path, o.Prev, o.Cid)).ToList();
        var inverted = await MstProof.InvertAsync(new CarBlockReader(Blocks(frame)), commit.Data, ops);
        Assert.Equal(prevData, inverted);
    }
}
