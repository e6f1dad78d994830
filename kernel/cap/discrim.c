/* Discrim: classify and compare capabilities (see discrim.h). */
#include "cap/discrim.h"

/* A capability as Discrim sees it: revoked ones are Null. */
static cap_t effective(const cap_t *c)
{
    return cap_check(c) == ERR_REVOKED ? cap_null() : *c;
}

static void discrim_invoke_type(invocation_t *inv)
{
    invoke_put_word(inv, effective(&inv->in[0]).type);
}

static void discrim_invoke_compare(invocation_t *inv)
{
    cap_t a = effective(&inv->in[0]), b = effective(&inv->in[1]);
    bool identical = a.type == b.type && a.restr == b.restr && a.l2g == b.l2g &&
                     a.flags == b.flags && a.payload == b.payload &&
                     a.obj == b.obj && a.gen == b.gen;
    invoke_put_word(inv, cap_same_object(&a, &b));
    invoke_put_word(inv, identical);
}

static void discrim_invoke_is_discreet(invocation_t *inv)
{
    cap_t c = effective(&inv->in[0]);
    invoke_put_word(inv, cap_is_discreet(&c));
}

/* Every Discrim method accepts any capabilities: no decode step can fail. */
cairn_error_t discrim_dispatch(invocation_t *inv)
{
    switch (inv->method->opcode) {
    case OP_DISCRIM_type:        discrim_invoke_type(inv);        return ERR_OK;
    case OP_DISCRIM_compare:     discrim_invoke_compare(inv);     return ERR_OK;
    case OP_DISCRIM_is_discreet: discrim_invoke_is_discreet(inv); return ERR_OK;
    default:
        return REFUSE(ERR_BAD_OPCODE, "no such Discrim method");
    }
}
