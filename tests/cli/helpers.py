"""Helpers shared by the command line's tests."""

from zero_to_hero.cli.main import main


def train(word_file, out, model, *extra):
    """``zero-to-hero train`` with a short run's flags (later flags win)."""
    argv = ["train", "--model", model, "--input", str(word_file), "--out", str(out)]
    return main([*argv, "--max-steps", "40", "--eval-interval", "20", "--batch-size", "8", *extra])


def one_line_error(capsys, fragment):
    """Standard error is one line, no traceback, and mentions ``fragment``."""
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("zero-to-hero: error:"), err
    assert "Traceback" not in err and fragment in err, err
    return err
