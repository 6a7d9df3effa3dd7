namespace Pds.Core.Repo;

/// <summary>A repository (commit, tree, records) that is malformed, incomplete or fails verification.</summary>
public sealed class RepoFormatException(string message, Exception? inner = null) : FormatException(message, inner);
