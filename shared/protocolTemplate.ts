/**
 * A starting protocol for a Community Budget's pooled (virtual) pot, written for the first-phase
 * areas' situation: partners who pool some money and only align the rest (ESF cannot be pooled at
 * source), a pot whose size is negotiated locally, and asks to Whitehall brokered by a champion.
 * Every clause is a draft for the partners to rewrite.
 */
export interface TemplateClause {
  title: string
  paragraphs: readonly string[]
}

export const PROTOCOL_TEMPLATE: readonly TemplateClause[] = [
  {
    title: 'Purpose',
    paragraphs: [
      'This protocol sets out how the partners will pool and align their resources in a virtual pot to turn around the lives of families with multiple problems in our area.',
      'It is a local agreement: it binds the partners who sign it, and it will be reviewed as the Community Budget widens and deepens.',
    ],
  },
  {
    title: 'Partners',
    paragraphs: [
      'The partners are the council, the Department for Work and Pensions and Jobcentre Plus, the police, the NHS and GP consortia, the youth offending service, schools and academies, and the voluntary and community sector.',
      'Each partner names one lead officer who can commit its contribution.',
    ],
  },
  {
    title: 'Contributions and the virtual pot',
    paragraphs: [
      'Each partner states its contribution in cash or in kind, with how contributions in kind are valued. The size of the pot is agreed locally.',
      'Money that cannot be pooled at source (for example European Social Fund money) is aligned: it stays with its owner but is spent to the plan agreed here.',
    ],
  },
  {
    title: 'Decision making',
    paragraphs: [
      'A Community Budget board of the lead officers decides how the pot is spent. Decisions are taken by consensus; where that fails, the partners whose money is affected decide.',
      'No partner is committed to spending beyond its stated contribution without its own agreement.',
    ],
  },
  {
    title: 'Accountability',
    paragraphs: [
      'Each partner stays accountable for its own money to its own governing body and, for departmental money, to Parliament. The board reports outcomes and spending to every partner quarterly.',
    ],
  },
  {
    title: 'Data sharing',
    paragraphs: [
      'Partners share information about the families they support under a data sharing agreement that meets the Data Protection Act, sharing only what the work with each family needs.',
    ],
  },
  {
    title: 'Risk share',
    paragraphs: [
      'Where payment by results applies, the partners agree in advance how any shortfall or reward is shared, in proportion to their contributions unless they agree otherwise.',
    ],
  },
  {
    title: 'Barriers and asks of Whitehall',
    paragraphs: [
      'Central rules, systems and practices that block this plan are raised with the area’s Whitehall champion, who brokers them with the departments concerned.',
    ],
  },
  {
    title: 'Review and exit',
    paragraphs: [
      'The protocol is reviewed every six months. A partner may leave with six months’ notice; commitments already made to families are honoured.',
    ],
  },
]
