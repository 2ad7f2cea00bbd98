//! Stage 4: keyword lexicons and matching them against tokens.
