namespace Pds.Core.Crypto;

/// <summary>
/// atproto accepts only the low-S form of a 64-byte r||s ECDSA signature (s &lt;= n/2), because
/// (r, n - s) is an equally valid signature anyone can derive. Signers that do not normalise
/// themselves (an HSM, Key Vault) pass their output through <see cref="Normalize"/>.
/// </summary>
public static class LowS
{
    public const int SignatureLength = 2 * Curve.FieldLength;

    /// <summary>True when s &lt;= n/2. Checks only that bound; r and s = 0 are judged by verification.</summary>
    public static bool IsLow(KeyType type, ReadOnlySpan<byte> signature)
    {
        RequireCompact(signature);
        return S(signature).SequenceCompareTo(Curve.For(type).HalfOrder) <= 0;
    }

    /// <summary>Replaces a high s with n - s in place; returns true when it changed the signature.</summary>
    public static bool Normalize(KeyType type, Span<byte> signature)
    {
        RequireCompact(signature);
        var curve = Curve.For(type);
        var s = signature[Curve.FieldLength..];
        if (!Scalar.IsValid(s, curve.Order))
        {
            throw new CryptoFormatException("signature s is outside [1, n-1]");
        }
        if (s.SequenceCompareTo(curve.HalfOrder) <= 0)
        {
            return false;
        }
        Scalar.Write(curve.N - Scalar.FromBytes(s), s);
        return true;
    }

    /// <summary>The strict atproto form: exactly 64 bytes, r in [1, n-1], s in [1, n/2].</summary>
    internal static bool IsStrict(Curve curve, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }
        var s = S(signature);
        return Scalar.IsValid(signature[..Curve.FieldLength], curve.Order)
            && Scalar.IsValid(s, curve.Order)
            && s.SequenceCompareTo(curve.HalfOrder) <= 0;
    }

    private static ReadOnlySpan<byte> S(ReadOnlySpan<byte> signature) => signature[Curve.FieldLength..];

    private static void RequireCompact(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            throw new CryptoFormatException($"signature must be {SignatureLength} bytes r||s, got {signature.Length}");
        }
    }
}
