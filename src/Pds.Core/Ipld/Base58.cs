namespace Pds.Core.Ipld;

/// <summary>Bitcoin-alphabet base58 (multibase prefix 'z'), used by did:key and multibase keys.</summary>
public static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly sbyte[] Reverse = BuildReverse();

    /// <summary>Inputs are keys (tens of bytes); the quadratic algorithm is fine and allocation-light.</summary>
    public const int MaxEncodedLength = 1024;

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }
        var digits = new byte[data.Length * 138 / 100 + 1];
        var length = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            var j = 0;
            for (; j < length || carry != 0; j++)
            {
                carry += 256 * digits[j];
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }
            length = j;
        }
        var chars = new char[zeros + length];
        for (var i = 0; i < zeros; i++)
        {
            chars[i] = '1';
        }
        for (var i = 0; i < length; i++)
        {
            chars[zeros + i] = Alphabet[digits[length - 1 - i]];
        }
        return new string(chars);
    }

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length > MaxEncodedLength)
        {
            return false;
        }
        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
        {
            zeros++;
        }
        var b256 = new byte[text.Length * 733 / 1000 + 1];
        var length = 0;
        for (var i = zeros; i < text.Length; i++)
        {
            var c = text[i];
            var v = c < 128 ? Reverse[c] : -1;
            if (v < 0)
            {
                return false;
            }
            int carry = v;
            var j = 0;
            for (; j < length || carry != 0; j++)
            {
                carry += 58 * b256[j];
                b256[j] = (byte)(carry & 0xff);
                carry >>= 8;
            }
            length = j;
        }
        var output = new byte[zeros + length];
        for (var i = 0; i < length; i++)
        {
            output[zeros + i] = b256[length - 1 - i];
        }
        bytes = output;
        return true;
    }

    private static sbyte[] BuildReverse()
    {
        var r = new sbyte[128];
        Array.Fill(r, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            r[Alphabet[i]] = (sbyte)i;
        }
        return r;
    }
}
