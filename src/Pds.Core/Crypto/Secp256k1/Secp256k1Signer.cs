using System.Security.Cryptography;

namespace Pds.Core.Crypto.Secp256k1;

/// <summary>
/// Deterministic ECDSA on secp256k1 (RFC 6979 nonces, HMAC-SHA256), low-S, in managed code.
/// Stateless: the only shared data is the public generator table, so any number of threads
/// may sign at once. See README.md beside this file for the constant-time rules.
/// </summary>
internal static class Secp256k1Signer
{
    public const int SignatureLength = 64;

    private const int Length = 32;

    /// <summary>
    /// Signs a 32-byte digest with the private scalar d (32 bytes big-endian, 1 &lt;= d &lt; n)
    /// and writes r || s, both big-endian, s &lt;= n/2.
    /// </summary>
    public static void Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> digest, Span<byte> signature)
    {
        if (privateKey.Length != Length || digest.Length != Length || signature.Length != SignatureLength)
        {
            throw new ArgumentException("secp256k1 signing takes a 32-byte key and digest and a 64-byte output");
        }
        var d = U256.FromBigEndian(privateKey);
        // With d = 0 and a zero digest every s would be 0 and the retry loop would never end;
        // Keypair only holds valid keys, so this guards misuse. Whether a key is valid at all
        // is not a secret worth hiding.
        if (ModN.IsValidMask(d) == 0)
        {
            U256.Wipe(ref d);
            throw new ArgumentException("secp256k1 private key must be in [1, n-1]", nameof(privateKey));
        }
        // A 256-bit hash is used whole as an integer (bits2int), then reduced mod n.
        var z = ModN.Reduce(U256.FromBigEndian(digest));
        Span<byte> state = stackalloc byte[Rfc6979.StateLength];
        var k = default(U256);
        try
        {
            var nonces = new Rfc6979(state, privateKey, z);
            while (true)
            {
                k = nonces.Next();
                // The range test is computed without branches; only the rare rejection
                // (probability about 2^-128) branches, and it discards the candidate.
                if (ModN.IsValidMask(k) == 0)
                {
                    continue;
                }
                var r = ModN.Reduce(Generator.Multiply(k).AffineX());
                // r and s are published, so testing them for zero reveals nothing.
                if (r.IsZeroMask() != 0)
                {
                    continue;
                }
                var kInverse = ModN.Invert(k);
                var s = ModN.Multiply(kInverse, ModN.Add(z, ModN.Multiply(r, d)));
                U256.Wipe(ref kInverse);
                if (s.IsZeroMask() != 0)
                {
                    continue;
                }
                r.WriteBigEndian(signature);
                ModN.LowS(s).WriteBigEndian(signature[Length..]);
                return;
            }
        }
        finally
        {
            U256.Wipe(ref d);
            U256.Wipe(ref k);
            CryptographicOperations.ZeroMemory(state);
        }
    }

    /// <summary>
    /// The RFC 6979 (section 3.2) HMAC-DRBG for qlen = hlen = 256 over caller-owned state
    /// K || V. With those lengths int2octets(x) is the 32-byte big-endian key, bits2octets(h1)
    /// is (h1 mod n) written the same way, and each candidate k is exactly one fresh V.
    /// </summary>
    internal ref struct Rfc6979
    {
        public const int StateLength = 2 * Length;

        private readonly Span<byte> _key;
        private readonly Span<byte> _v;
        private bool _started;

        /// <summary>Steps b to g: seeds K and V from the private key x and the reduced digest.</summary>
        public Rfc6979(Span<byte> state, ReadOnlySpan<byte> x, in U256 reducedDigest)
        {
            _key = state[..Length];
            _v = state[Length..StateLength];
            _started = false;
            _v.Fill(0x01);
            _key.Clear();
            // V || separator || int2octets(x) || bits2octets(h1)
            Span<byte> message = stackalloc byte[Length + 1 + 2 * Length];
            try
            {
                x.CopyTo(message[(Length + 1)..]);
                reducedDigest.WriteBigEndian(message[(2 * Length + 1)..]);
                for (byte separator = 0; separator <= 1; separator++)
                {
                    Update(message, separator);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(message);
            }
        }

        /// <summary>
        /// Step h: the next candidate, V = HMAC_K(V). Before every candidate but the first, the
        /// rejection step K = HMAC_K(V || 0x00), V = HMAC_K(V) runs, as step h.3 requires.
        /// Whether a candidate was rejected is the only thing this branches on.
        /// </summary>
        public U256 Next()
        {
            if (_started)
            {
                Span<byte> message = stackalloc byte[Length + 1];
                Update(message, 0x00);
                CryptographicOperations.ZeroMemory(message);
            }
            _started = true;
            Refresh();
            return U256.FromBigEndian(_v);
        }

        /// <summary>
        /// K = HMAC_K(V || separator || rest), V = HMAC_K(V). message holds rest after its first
        /// 33 bytes (or is exactly 33 bytes long when there is none); V and the separator are
        /// written into its head here.
        /// </summary>
        private readonly void Update(Span<byte> message, byte separator)
        {
            _v.CopyTo(message);
            message[Length] = separator;
            Span<byte> key = stackalloc byte[Length];
            HMACSHA256.HashData(_key, message, key);
            key.CopyTo(_key);
            CryptographicOperations.ZeroMemory(key);
            Refresh();
        }

        /// <summary>V = HMAC_K(V), through a separate output buffer: the platform's one-shot HMAC
        /// does not promise that its output may overlap the key or the input.</summary>
        private readonly void Refresh()
        {
            Span<byte> v = stackalloc byte[Length];
            HMACSHA256.HashData(_key, _v, v);
            v.CopyTo(_v);
            CryptographicOperations.ZeroMemory(v);
        }
    }
}
