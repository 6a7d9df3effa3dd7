namespace Pds.Core.Syntax;

/// <summary>
/// Base of the string-backed identifier types: holds the canonical text and gives value
/// equality over (type, text), so a Did never equals a Handle with the same characters.
/// Only this assembly derives from it, and only after validation.
/// </summary>
public abstract class SyntaxString : IEquatable<SyntaxString>
{
    private readonly string _value;

    private protected SyntaxString(string value) => _value = value;

    public int Length => _value.Length;

    public sealed override string ToString() => _value;

    public bool Equals(SyntaxString? other) =>
        other is not null && other.GetType() == GetType() && string.Equals(_value, other._value, StringComparison.Ordinal);

    public sealed override bool Equals(object? obj) => Equals(obj as SyntaxString);

    public sealed override int GetHashCode() => HashCode.Combine(GetType(), string.GetHashCode(_value, StringComparison.Ordinal));

    public static bool operator ==(SyntaxString? left, SyntaxString? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(SyntaxString? left, SyntaxString? right) => !(left == right);
}
