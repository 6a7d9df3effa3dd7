namespace Pds.Core.Ipld;

/// <summary>A block that a structure links to is not in the block source.</summary>
public sealed class MissingBlockException(Cid cid, string? context = null)
    : Exception($"missing block {cid}{(context is null ? "" : " (" + context + ")")}")
{
    public Cid Cid { get; } = cid;
}
