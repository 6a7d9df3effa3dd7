using System.Buffers.Text;
using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Syntax;

namespace Pds.Core.Identity;

/// <summary>
/// One did:plc operation: a regular <c>plc_operation</c>, a <c>plc_tombstone</c>, or a legacy
/// <c>create</c> genesis read from a directory. Immutable. The operation is held as the exact
/// data-model map it was built or parsed from, so its CID and signed bytes are those of the
/// wire form (unknown fields included); the typed properties are a validated view of it, with
/// legacy fields normalised the way the directory does.
/// </summary>
public sealed partial class PlcOperation
{
    public const string OperationType = "plc_operation";
    public const string TombstoneType = "plc_tombstone";
    public const string LegacyCreateType = "create";
    public const string AtprotoVerificationMethod = "atproto";
    public const string AtprotoPdsService = "atproto_pds";
    public const string AtprotoPdsType = "AtprotoPersonalDataServer";
    public const int MaxRotationKeys = 5;
    /// <summary>The directory's anti-abuse limit on a signed operation's DAG-CBOR size.</summary>
    public const int MaxEncodedLength = 7500;
    public const int SignatureLength = 64;

    private const string SigKey = "sig";

    private readonly DataMap _map;
    private byte[]? _encoded;
    private Cid? _cid;

    private PlcOperation(DataMap map, Fields fields)
    {
        _map = map;
        Type = fields.Type;
        RotationKeys = fields.RotationKeys;
        VerificationMethods = fields.VerificationMethods;
        AlsoKnownAs = fields.AlsoKnownAs;
        Services = fields.Services;
        Prev = fields.Prev;
        Signature = fields.Sig;
    }

    /// <summary><see cref="OperationType"/>, <see cref="TombstoneType"/> or <see cref="LegacyCreateType"/>.</summary>
    public string Type { get; }

    /// <summary>did:key strings in priority order (a legacy create gives [recoveryKey, signingKey]); empty for tombstones.</summary>
    public IReadOnlyList<string> RotationKeys { get; }

    /// <summary>Verification method id (no '#') to did:key.</summary>
    public IReadOnlyDictionary<string, string> VerificationMethods { get; }

    public IReadOnlyList<string> AlsoKnownAs { get; }

    /// <summary>Service id (no '#') to its type and endpoint.</summary>
    public IReadOnlyDictionary<string, PlcService> Services { get; }

    /// <summary>The CID of the previous operation; null only for a genesis operation.</summary>
    public Cid? Prev { get; }

    /// <summary>The base64url (unpadded) signature, or null while unsigned.</summary>
    public string? Signature { get; }

    public bool IsSigned => Signature is not null;
    public bool IsTombstone => Type == TombstoneType;
    public bool IsGenesis => Prev is null;

    /// <summary>The handle: the first <c>at://</c> alias, when it is a valid handle.</summary>
    public Handle? Handle => FirstHandle(AlsoKnownAs);

    public string? AtprotoSigningKey => VerificationMethods.GetValueOrDefault(AtprotoVerificationMethod);

    public string? PdsEndpoint =>
        Services.TryGetValue(AtprotoPdsService, out var s) && s.Type == AtprotoPdsType ? s.Endpoint : null;

    /// <summary>
    /// Builds an unsigned regular operation. Rotation keys: 1 to 5 distinct did:keys; method and
    /// service ids without '#'; <paramref name="prev"/> null for a genesis operation.
    /// </summary>
    public static PlcOperation Create(
        IEnumerable<string> rotationKeys,
        IReadOnlyDictionary<string, string> verificationMethods,
        IEnumerable<string> alsoKnownAs,
        IReadOnlyDictionary<string, PlcService> services,
        Cid? prev)
    {
        ArgumentNullException.ThrowIfNull(rotationKeys);
        ArgumentNullException.ThrowIfNull(verificationMethods);
        ArgumentNullException.ThrowIfNull(alsoKnownAs);
        ArgumentNullException.ThrowIfNull(services);
        var keys = rotationKeys.ToArray();
        CheckNewOperation(keys, verificationMethods, services);
        if (prev is not null && (prev.Codec != Multicodec.DagCbor || !prev.IsSha256))
        {
            throw new ArgumentException("prev must be the dag-cbor sha2-256 CID of an operation", nameof(prev));
        }
        var map = DataMap.Create(
            ("type", DataValue.Of(OperationType)),
            ("rotationKeys", Strings(keys)),
            ("verificationMethods", DataMap.Create(verificationMethods.Select(p =>
                new KeyValuePair<string, DataValue>(p.Key, DataValue.Of(p.Value))))),
            ("alsoKnownAs", Strings(alsoKnownAs)),
            ("services", DataMap.Create(services.Select(p => new KeyValuePair<string, DataValue>(p.Key, DataMap.Create(
                ("type", DataValue.Of(p.Value.Type)),
                ("endpoint", DataValue.Of(p.Value.Endpoint))))))),
            ("prev", prev is null ? DataValue.Null : DataValue.Of(prev.ToString())));
        return FromNewMap(map);
    }

    /// <summary>The usual atproto operation: one signing key, one handle, one PDS.</summary>
    public static PlcOperation CreateAtproto(
        PublicKey signingKey, Handle handle, string pdsEndpoint, IEnumerable<PublicKey> rotationKeys, Cid? prev = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(rotationKeys);
        return Create(
            rotationKeys.Select(k => k.ToDidKey()),
            new Dictionary<string, string> { [AtprotoVerificationMethod] = signingKey.ToDidKey() },
            [HandleUri(handle)],
            new Dictionary<string, PlcService> { [AtprotoPdsService] = PlcService.AtprotoPds(pdsEndpoint) },
            prev);
    }

    /// <summary>An unsigned tombstone that deactivates the DID after <paramref name="prev"/>.</summary>
    public static PlcOperation CreateTombstone(Cid prev)
    {
        ArgumentNullException.ThrowIfNull(prev);
        if (prev.Codec != Multicodec.DagCbor || !prev.IsSha256)
        {
            throw new ArgumentException("prev must be the dag-cbor sha2-256 CID of an operation", nameof(prev));
        }
        return FromNewMap(DataMap.Create(
            ("type", DataValue.Of(TombstoneType)),
            ("prev", DataValue.Of(prev.ToString()))));
    }

    /// <summary>
    /// The unsigned update that follows this signed operation: every field carried over, the
    /// given ones replaced (the handle replaces the first <c>at://</c> alias, or is prepended).
    /// </summary>
    public PlcOperation Next(
        Handle? handle = null,
        string? pdsEndpoint = null,
        PublicKey? signingKey = null,
        IEnumerable<PublicKey>? rotationKeys = null)
    {
        if (IsTombstone)
        {
            throw new InvalidOperationException("a tombstoned DID takes no further operations");
        }
        var aka = AlsoKnownAs.ToList();
        if (handle is not null)
        {
            var at = aka.FindIndex(a => a.StartsWith(AtUriPrefix, StringComparison.Ordinal));
            if (at < 0)
            {
                aka.Insert(0, HandleUri(handle));
            }
            else
            {
                aka[at] = HandleUri(handle);
            }
        }
        var methods = new Dictionary<string, string>(VerificationMethods, StringComparer.Ordinal);
        if (signingKey is not null)
        {
            methods[AtprotoVerificationMethod] = signingKey.ToDidKey();
        }
        var services = new Dictionary<string, PlcService>(Services, StringComparer.Ordinal);
        if (pdsEndpoint is not null)
        {
            services[AtprotoPdsService] = PlcService.AtprotoPds(pdsEndpoint);
        }
        var keys = rotationKeys?.Select(k => k.ToDidKey()) ?? RotationKeys;
        return Create(keys, methods, aka, services, Cid);
    }

    /// <summary>DAG-CBOR of the operation without <c>sig</c>: the bytes a rotation key signs.</summary>
    public byte[] EncodeUnsigned() => DagCbor.Encode(UnsignedMap());

    /// <summary>DAG-CBOR of the signed operation: the bytes its CID and a genesis DID hash.</summary>
    public ReadOnlySpan<byte> Encode()
    {
        RequireSigned();
        return _encoded ??= DagCbor.Encode(_map);
    }

    /// <summary>The dag-cbor CID of the signed operation (what the next operation's <c>prev</c> names).</summary>
    public Cid Cid => _cid ??= Cid.ForDagCbor(Encode());

    /// <summary>The operation as a data-model map (with <c>sig</c> once signed).</summary>
    public DataMap ToDataMap() => _map;

    /// <summary>
    /// Signs with a rotation key. A genesis operation must be signed by one of its own rotation
    /// keys; an update by one of the previous operation's, which only the directory can check.
    /// </summary>
    public async ValueTask<PlcOperation> SignAsync(ISigner signer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (IsGenesis && !IsTombstone && !RotationKeys.Contains(signer.PublicKey.ToDidKey(), StringComparer.Ordinal))
        {
            throw new InvalidOperationException("a genesis operation must be signed by one of its own rotation keys");
        }
        var signature = await signer.SignAsync(EncodeUnsigned(), cancellationToken).ConfigureAwait(false);
        if (signature.Length != SignatureLength || !LowS.IsLow(signer.PublicKey.KeyType, signature))
        {
            throw new InvalidOperationException("the signer returned something other than a 64-byte low-S signature");
        }
        return WithSignature(signature);
    }

    /// <summary>This operation with <paramref name="signature"/> (64 bytes r||s) as its <c>sig</c>; not verified.</summary>
    public PlcOperation WithSignature(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            throw new ArgumentException($"signatures are {SignatureLength} bytes", nameof(signature));
        }
        var pairs = UnsignedMap().Entries.Append(new(SigKey, DataValue.Of(Base64Url.EncodeToString(signature))));
        var signed = FromNewMap(DataMap.Create(pairs));
        if (signed.Encode().Length > MaxEncodedLength)
        {
            throw new ArgumentException($"signed operation is larger than {MaxEncodedLength} bytes of DAG-CBOR");
        }
        return signed;
    }

    /// <summary>True when <c>sig</c> is a valid strict (64-byte, low-S) signature by <paramref name="key"/>.</summary>
    public bool VerifySignature(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TryDecodeSignature(out var sig) && key.Verify(EncodeUnsigned(), sig);
    }

    /// <summary>The first of <paramref name="didKeys"/> that signed this operation; unparseable keys never match.</summary>
    public string? FindSigner(IEnumerable<string> didKeys)
    {
        ArgumentNullException.ThrowIfNull(didKeys);
        if (!TryDecodeSignature(out var sig))
        {
            return null;
        }
        var unsigned = EncodeUnsigned();
        foreach (var didKey in didKeys)
        {
            PublicKey key;
            try
            {
                key = PublicKey.FromDidKey(didKey);
            }
            catch (CryptoFormatException)
            {
                continue;
            }
            if (key.Verify(unsigned, sig))
            {
                return didKey;
            }
        }
        return null;
    }

    /// <summary>
    /// did:plc: + the first 24 characters of base32(sha256(DAG-CBOR of the signed genesis operation)).
    /// </summary>
    public static Did DeriveDid(PlcOperation signedGenesis)
    {
        ArgumentNullException.ThrowIfNull(signedGenesis);
        if (!signedGenesis.IsGenesis || signedGenesis.IsTombstone)
        {
            throw new ArgumentException("only a genesis operation (prev = null) defines a DID", nameof(signedGenesis));
        }
        // The CID's digest is exactly sha256 of the signed bytes.
        return Did.Parse("did:plc:" + Base32.Encode(signedGenesis.Cid.Digest)[..24]);
    }

    public Did DeriveDid() => DeriveDid(this);

    public override string ToString() => $"PlcOperation({Type}, prev {Prev?.ToString() ?? "null"}, {(IsSigned ? "signed" : "unsigned")})";

    internal static string HandleUri(Handle handle) => AtUriPrefix + handle;

    private const string AtUriPrefix = "at://";

    private static Handle? FirstHandle(IReadOnlyList<string> aliases)
    {
        var first = aliases.FirstOrDefault(a => a.StartsWith(AtUriPrefix, StringComparison.Ordinal));
        return first is not null && Handle.TryParse(first[AtUriPrefix.Length..], out var handle) ? handle : null;
    }

    private DataMap UnsignedMap() =>
        IsSigned ? DataMap.Create(_map.Entries.Where(e => e.Key != SigKey)) : _map;

    private bool TryDecodeSignature(out byte[] signature)
    {
        signature = [];
        if (Signature is null)
        {
            return false;
        }
        signature = Base64Url.DecodeFromChars(Signature);
        return signature.Length == SignatureLength;
    }

    private void RequireSigned()
    {
        if (!IsSigned)
        {
            throw new InvalidOperationException("the operation is not signed yet");
        }
    }

    private static DataArray Strings(IEnumerable<string> values) =>
        new(values.Select(v => DataValue.Of(v ?? throw new ArgumentException("null string in operation"))).ToArray());

    private static void CheckNewOperation(
        string[] rotationKeys,
        IReadOnlyDictionary<string, string> verificationMethods,
        IReadOnlyDictionary<string, PlcService> services)
    {
        if (rotationKeys.Length is < 1 or > MaxRotationKeys)
        {
            throw new ArgumentException($"an operation needs 1 to {MaxRotationKeys} rotation keys", nameof(rotationKeys));
        }
        if (rotationKeys.Distinct(StringComparer.Ordinal).Count() != rotationKeys.Length)
        {
            throw new ArgumentException("rotation keys must be distinct", nameof(rotationKeys));
        }
        foreach (var key in rotationKeys.Concat(verificationMethods.Values))
        {
            try
            {
                PublicKey.FromDidKey(key);
            }
            catch (CryptoFormatException e)
            {
                throw new ArgumentException($"not a supported did:key: '{key}' ({e.Message})", e);
            }
        }
        foreach (var id in verificationMethods.Keys.Concat(services.Keys))
        {
            if (id.Length == 0 || id.StartsWith('#'))
            {
                throw new ArgumentException($"method and service ids are non-empty and carry no '#': '{id}'");
            }
        }
        foreach (var service in services.Values)
        {
            ArgumentNullException.ThrowIfNull(service);
            ArgumentException.ThrowIfNullOrEmpty(service.Type);
            ArgumentException.ThrowIfNullOrEmpty(service.Endpoint);
        }
    }

    private static PlcOperation FromNewMap(DataMap map)
    {
        var op = FromDataMap(map);
        if (DagCbor.Encode(map).Length > MaxEncodedLength)
        {
            throw new ArgumentException($"operation is larger than {MaxEncodedLength} bytes of DAG-CBOR");
        }
        return op;
    }
}
