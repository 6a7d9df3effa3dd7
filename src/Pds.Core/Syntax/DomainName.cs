namespace Pds.Core.Syntax;

/// <summary>
/// The label rules handles and NSID authorities share: ASCII letters, digits and hyphens,
/// 1..63 characters, no hyphen at either end.
/// </summary>
internal static class DomainName
{
    public const int MaxLabelLength = 63;

    /// <summary>Checks the dot-separated labels in <c>s[start..end)</c>; returns a reason or null.</summary>
    public static string? CheckLabels(string s, int start, int end, out int labels)
    {
        labels = 0;
        while (true)
        {
            var dot = s.IndexOf('.', start, end - start);
            var labelEnd = dot < 0 ? end : dot;
            if (CheckLabel(s, start, labelEnd) is { } reason)
            {
                return reason;
            }
            labels++;
            if (dot < 0)
            {
                return null;
            }
            start = dot + 1;
        }
    }

    /// <summary>Checks <c>s[start..end)</c> as one label; returns a reason or null.</summary>
    public static string? CheckLabel(string s, int start, int end)
    {
        var length = end - start;
        if (length == 0)
        {
            return "empty label";
        }
        if (length > MaxLabelLength)
        {
            return $"label longer than {MaxLabelLength} characters";
        }
        for (var i = start; i < end; i++)
        {
            var c = s[i];
            if (!Ascii.IsLetterOrDigit(c) && c != '-')
            {
                return $"character {Ascii.Show(c)} not allowed";
            }
        }
        return s[start] == '-' || s[end - 1] == '-' ? "label must not start or end with '-'" : null;
    }
}
