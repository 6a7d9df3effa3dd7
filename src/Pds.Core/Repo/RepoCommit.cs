using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Syntax;

namespace Pds.Core.Repo;

/// <summary>
/// A signed repository commit (v3): <c>{did, version: 3, data, rev, prev: null, sig}</c>.
/// The signature covers the DAG-CBOR of every field but <c>sig</c>, exactly as decoded, so
/// commits from other implementations verify even if they carry fields we do not know.
/// </summary>
public sealed class RepoCommit
{
    public const int CurrentVersion = 3;

    private readonly byte[] _unsigned;

    private RepoCommit(string did, int version, Cid data, string rev, Cid? prev, byte[] signature, byte[] unsignedBytes)
    {
        Did = did;
        Version = version;
        Data = data;
        Rev = rev;
        Prev = prev;
        Signature = signature;
        _unsigned = unsignedBytes;
    }

    public string Did { get; }
    public int Version { get; }
    public Cid Data { get; }
    public string Rev { get; }
    public Cid? Prev { get; }
    public byte[] Signature { get; }

    /// <summary>The bytes the signature covers.</summary>
    public ReadOnlySpan<byte> UnsignedBytes => _unsigned;

    public static async Task<RepoCommit> SignAsync(string did, Cid data, Tid rev, ISigner signer, CancellationToken ct = default)
    {
        var writer = new DagCborWriter(160);
        WriteFields(writer, did, data, rev.ToString(), signature: null);
        var unsignedBytes = writer.ToArray();
        var sig = await signer.SignAsync(unsignedBytes, ct).ConfigureAwait(false);
        return new RepoCommit(did, CurrentVersion, data, rev.ToString(), null, sig, unsignedBytes);
    }

    /// <summary>The signed commit block.</summary>
    public byte[] Encode()
    {
        var writer = new DagCborWriter(_unsigned.Length + 80);
        WriteFields(writer, Did, Data, Rev, Signature);
        return writer.ToArray();
    }

    public bool VerifySignature(PublicKey key) => key.Verify(_unsigned, Signature);

    public static RepoCommit Decode(ReadOnlySpan<byte> bytes)
    {
        DataMap map;
        try
        {
            map = DagCbor.DecodeMap(bytes);
        }
        catch (DagCborFormatException e)
        {
            throw new RepoFormatException("commit block is not canonical DAG-CBOR: " + e.Message, e);
        }
        if (map["did"] is not DataString { Value: var did } || !Syntax.Did.TryParse(did, out _))
        {
            throw new RepoFormatException("commit did is missing or not a DID");
        }
        if (map["version"] is not DataInteger { Value: CurrentVersion })
        {
            throw new RepoFormatException("commit version must be 3");
        }
        if (map["data"] is not DataLink { Cid: var data })
        {
            throw new RepoFormatException("commit data must be a link to the MST root");
        }
        if (map["rev"] is not DataString { Value: var rev } || !Tid.TryParse(rev, out _))
        {
            throw new RepoFormatException("commit rev is missing or not a TID");
        }
        var prev = map["prev"] switch
        {
            DataNull => null,
            DataLink l => l.Cid,
            null => throw new RepoFormatException("commit prev must be present (null or a link)"),
            _ => throw new RepoFormatException("commit prev must be null or a link"),
        };
        if (map["sig"] is not DataBytes { Value: var sig })
        {
            throw new RepoFormatException("commit sig is missing or not bytes");
        }
        var unsignedMap = DataMap.Create(map.Entries.Where(e => e.Key != "sig"));
        return new RepoCommit(did, CurrentVersion, data, rev, prev, sig.ToArray(), DagCbor.Encode(unsignedMap));
    }

    /// <summary>Canonical key order: did, rev, sig, data, prev, version (length, then bytes).</summary>
    private static void WriteFields(DagCborWriter w, string did, Cid data, string rev, byte[]? signature)
    {
        w.WriteMapHeader(signature is null ? 5 : 6);
        w.WriteText("did"u8);
        w.WriteText(did);
        w.WriteText("rev"u8);
        w.WriteText(rev);
        if (signature is not null)
        {
            w.WriteText("sig"u8);
            w.WriteBytes(signature);
        }
        w.WriteText("data"u8);
        w.WriteCid(data);
        w.WriteText("prev"u8);
        w.WriteNull();
        w.WriteText("version"u8);
        w.WriteInteger(CurrentVersion);
    }
}
