using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Syntax;

namespace Pds.Benchmarks;

/// <summary>
/// Inputs shared by the BenchmarkDotNet classes and the compare mode. The repo records, keys,
/// DID and signing key are the ones bench/reference/repo-bench.mjs uses, so both sides encode,
/// hash and sign the same bytes (apart from the commit rev and the ECDSA nonce).
/// </summary>
public static class BenchData
{
    public const string Did = "did:plc:benchrepo2aaaaaaaaaaaaaa";
    public const string Collection = "app.bsky.feed.post";

    /// <summary>The secp256k1 private scalar the JS reference imports.</summary>
    public const string PrivateKeyHex = "5c1e1b3d4f2a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e";

    /// <summary>2024-01-01T00:00:00Z, the first record's createdAt; record i is i seconds later.</summary>
    public static readonly long BaseMs = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>A fixed commit rev (the JS side takes one from the clock; the length is the same).</summary>
    public static readonly Tid Rev = Tid.FromParts((BaseMs + 400_000_000L) * 1000, 0);

    public static Keypair CreateKeypair() => Keypair.Import(KeyType.Secp256k1, Convert.FromHexString(PrivateKeyHex));

    /// <summary>The rkey of record i: a TID of its createdAt in microseconds with clock id 3, as the JS bench makes it.</summary>
    public static Tid RecordTid(long i, int clockId = 3) => Tid.FromParts((BaseMs + i * 1000) * 1000, clockId);

    public static string RecordPath(long i, int clockId = 3) => Collection + "/" + RecordTid(i, clockId);

    /// <summary>Record i: <c>{$type, text, createdAt}</c> with the same text and timestamp as the JS bench.</summary>
    public static DataMap Record(long i) => DataMap.Create(
        ("$type", DataValue.Of(Collection)),
        ("text", DataValue.Of($"Benchmark post number {i}: the quick brown fox jumps over the lazy dog.")),
        ("createdAt", DataValue.Of(DateTimeOffset.FromUnixTimeMilliseconds(BaseMs + i * 1000)
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))));

    /// <summary>N records with their repo paths, prepared before any timing.</summary>
    public static (string Path, DataMap Record)[] Records(int count)
    {
        var records = new (string, DataMap)[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = (RecordPath(i), Record(i));
        }
        return records;
    }

    /// <summary>MST leaves for N record paths, each pointing at its record's CID.</summary>
    public static KeyValuePair<byte[], Cid>[] MstItems(int count, int clockId = 3, long offset = 0)
    {
        var items = new KeyValuePair<byte[], Cid>[count];
        for (var i = 0; i < count; i++)
        {
            var n = offset + i;
            items[i] = new(Encoding.UTF8.GetBytes(RecordPath(n, clockId)), DagCbor.ComputeCid(Record(n)));
        }
        return items;
    }

    /// <summary>The post the JS bench encodes and decodes per second (167 bytes of DAG-CBOR).</summary>
    public static DataMap SimplePost() => (DataMap)DataModelJson.Parse("""
        {
          "$type": "app.bsky.feed.post",
          "text": "Just setting up my PDS 🦋 — testing DAG-CBOR round trips with a typical post length.",
          "createdAt": "2024-03-01T12:34:56.789Z",
          "langs": ["en"]
        }
        """u8);

    /// <summary>A fuller post: a reply with mention, link and tag facets (byte offsets match the text).</summary>
    public static DataMap ReplyPost() => (DataMap)DataModelJson.Parse("""
        {
          "$type": "app.bsky.feed.post",
          "text": "Replying to @alice.example.com, see https://example.com/post/123 for details #atproto 🦋",
          "createdAt": "2024-03-01T12:34:56.789Z",
          "langs": ["en", "fr"],
          "facets": [
            {
              "index": { "byteStart": 12, "byteEnd": 30 },
              "features": [{ "$type": "app.bsky.richtext.facet#mention", "did": "did:plc:ewvi7nxzyoun6zhxrhs64oiz" }]
            },
            {
              "index": { "byteStart": 36, "byteEnd": 64 },
              "features": [{ "$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/post/123" }]
            },
            {
              "index": { "byteStart": 77, "byteEnd": 85 },
              "features": [{ "$type": "app.bsky.richtext.facet#tag", "tag": "atproto" }]
            }
          ],
          "reply": {
            "root": {
              "uri": "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3kgsxlqzkc22a",
              "cid": "bafyreibkt2e5o2tjubt26msdesczsnryxub4zcp4go3npjvltl7wm42axy"
            },
            "parent": {
              "uri": "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3kgsxmc6ytk2j",
              "cid": "bafyreigngw46mol3hs5rjshkpsqy6272ysxmyrii76kshsavkvedw6towa"
            }
          }
        }
        """u8);

    /// <summary>
    /// 256 commit-sized messages, as the JS bench signs: the DAG-CBOR of an unsigned commit
    /// followed by a big-endian 32-bit counter.
    /// </summary>
    public static byte[][] CommitMessages(int count = 256)
    {
        var emptyNode = DagCbor.Encode(DataMap.Create(("e", DataArray.Empty), ("l", DataValue.Null)));
        var unsigned = DagCbor.Encode(DataMap.Create(
            ("did", DataValue.Of(Did)),
            ("version", DataValue.Of(3)),
            ("data", DataValue.Of(Cid.ForDagCbor(emptyNode))),
            ("rev", DataValue.Of("3lenax2ss222b")),
            ("prev", DataValue.Null)));
        var messages = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var m = new byte[unsigned.Length + 4];
            unsigned.CopyTo(m, 0);
            BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(unsigned.Length), (uint)i);
            messages[i] = m;
        }
        return messages;
    }
}
